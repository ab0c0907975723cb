/**
 * @module The embedded engine under an order that does not use the score (newest first, chats
 * grouped newest first) only tests each match and scores the hits it shows: those hits must still
 * report the score a relevance search gives the same message (the port's `SearchHit.score`), on
 * random corpora and random bool trees (phrases, `match` with operators, `must_not`, `should`
 * with `minimum_should_match`). Which messages match, and their order, the contract's property
 * tests hold up against the oracle.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { createMemoryBackend } from '../../adapters/memory/index.ts'
import type { Query } from '../../src/query/dsl.ts'
import { messageCorpusArb, messageTreeArb, PEOPLE } from '../contract/arbitraries.ts'
import { canSee, NEWEST, RELEVANCE, readAllPages } from '../contract/context.ts'

const SEED = Number(process.env.FC_SEED ?? 20_261_206)

describe('memory backend: hits of an order without the score report their relevance score', () => {
  it('property: newest first and grouped by chat report each hit the score relevance ranks it by', async () => {
    let scored = 0
    await fc.assert(
      fc.asyncProperty(
        messageCorpusArb,
        messageTreeArb,
        fc.constantFrom(...PEOPLE),
        fc.integer({ min: 1, max: 4 }),
        async (corpus, tree, caller, limit) => {
          const backend = createMemoryBackend()
          await backend.index('messages', corpus.initial)
          if (corpus.replaced.length > 0) await backend.index('messages', corpus.replaced)
          if (corpus.removed.length > 0) await backend.remove('messages', corpus.removed)
          const query: Query = { bool: { must: [tree], filter: [canSee(caller)] } }
          const byScore = await readAllPages(backend, 'messages', { query, sort: RELEVANCE, limit })
          const relevance = new Map(byScore.hits.map((hit) => [hit.id, hit.score]))
          const byTime = await readAllPages(backend, 'messages', { query, sort: NEWEST, limit })
          expect(byTime.hits.map((hit) => [hit.id, hit.score])).toEqual(
            byTime.hits.map((hit) => [hit.id, relevance.get(hit.id)]),
          )
          const grouped = await backend.searchGrouped('messages', {
            query,
            field: 'conversationId',
            sort: NEWEST,
            limit: 100,
          })
          const tops = grouped.groups.map((group) => group.top)
          expect(tops.map((top) => [top.id, top.score])).toEqual(
            tops.map((top) => [top.id, relevance.get(top.id)]),
          )
          scored += byTime.hits.filter((hit) => hit.score > 0).length
          await backend.close()
        },
      ),
      { numRuns: 150, seed: SEED },
    )
    // Not vacuous: many hits carried a score that was not 0.
    expect(scored).toBeGreaterThan(100)
  })
})
