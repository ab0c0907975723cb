/**
 * @module Contract cases for issue 13: attachment names, mentions and links as fields a query can
 * name; facets (terms and calendar days in a zone) and searches grouped by a field, each equal to
 * the brute-force oracle (`test/oracle/aggregate.ts`), on hand-made corpora and random ones.
 */
import fc from 'fast-check'
import { describe, expect } from 'vitest'
import type { FacetRequest } from '../../src/ports/facets.ts'
import type { SearchBackend } from '../../src/ports/search-backend.ts'
import type { Query } from '../../src/query/dsl.ts'
import { oracleFacets, oracleGroups } from '../oracle/aggregate.ts'
import { oracleSearch } from '../oracle/evaluate.ts'
import { messageCorpusArb, messageTreeArb, PEOPLE } from './arbitraries.ts'
import { type ContractContext, canSee, NEWEST, readAllPages, sortedIds } from './context.ts'
import { message, T0, TEAM_MESSAGES, TEXT_MESSAGES } from './fixtures.ts'

const SEED = Number(process.env.FC_SEED ?? 20_251_305)
const HOUR = 3_600_000

/** Messages with attachments, mentions and links, over two days in Shanghai. */
const EXTRA_MESSAGES = [
  message('x-budget', '请看附件', {
    sequenceId: 1,
    sentAt: T0 + 15 * HOUR,
    attachments: [
      { name: 'Q3预算.xlsx', kind: 'file', size: 10 },
      { name: 'team photo.png', kind: 'image' },
    ],
    mentions: ['bob'],
  }),
  message('x-link', '文档在 https://example.com/q3 预算', {
    sequenceId: 2,
    sentAt: T0 + 17 * HOUR,
    mentionAll: true,
  }),
  message('x-voice', 'voice note', {
    sequenceId: 3,
    sentAt: T0 + 40 * HOUR,
    attachments: [{ name: '会议 录音.m4a', kind: 'audio' }],
    conversationId: 'g-team',
    conversationType: 'group',
    recipients: ['alice', 'bob', 'carol'],
  }),
]

const FACETS: Record<string, FacetRequest> = {
  conversation: { kind: 'terms', field: 'conversationId', size: 20 },
  sender: { kind: 'terms', field: 'senderId', size: 2 },
  type: { kind: 'terms', field: 'type', size: 20 },
  day: { kind: 'day', field: 'sentAt', timeZone: 'Asia/Shanghai', size: 20 },
}

export function aggregationCases(ctx: ContractContext): void {
  const { test } = ctx
  const phrase = (field: string, query: string): Query => ({ match_phrase: { field, query } })
  const find = async (backend: SearchBackend, query: Query) =>
    sortedIds((await readAllPages(backend, 'messages', { query, limit: 100 })).hits)

  describe('messages: attachments, mentions and links (issue 13)', () => {
    test('an attachment name matches a phrase inside it, never across two names', async (backend) => {
      await ctx.load(backend, 'messages', EXTRA_MESSAGES)
      expect(await find(backend, phrase('attachmentNames', '预算'))).toEqual(['x-budget'])
      expect(await find(backend, phrase('attachmentNames', 'q3 预 算 xlsx'))).toEqual(['x-budget'])
      expect(await find(backend, phrase('attachmentNames', 'xlsx team'))).toEqual([])
      expect(await find(backend, phrase('attachmentNames', '会议 录音'))).toEqual(['x-voice'])
      expect(await find(backend, phrase('content', '预算'))).toEqual(['x-link'])
    })

    test('mentions, mentionAll, hasLink and attachment kinds are fields a filter can name', async (backend) => {
      await ctx.load(backend, 'messages', EXTRA_MESSAGES)
      const kind = (value: string): Query => ({
        nested: {
          path: 'attachments',
          query: { term: { field: 'attachments.kind', value } },
          score_mode: 'none',
        },
      })
      expect(await find(backend, { term: { field: 'mentions', value: 'bob' } })).toEqual(['x-budget'])
      expect(await find(backend, { exists: { field: 'mentions' } })).toEqual(['x-budget'])
      expect(await find(backend, { term: { field: 'mentionAll', value: true } })).toEqual(['x-link'])
      expect(await find(backend, { term: { field: 'hasLink', value: true } })).toEqual(['x-link'])
      expect(await find(backend, kind('image'))).toEqual(['x-budget'])
      expect(await find(backend, kind('audio'))).toEqual(['x-voice'])
      expect(await find(backend, kind('video'))).toEqual([])
      const page = await backend.search('messages', { query: kind('file'), limit: 1 })
      expect(page.hits[0]?.document).toMatchObject({
        mentions: ['bob'],
        mentionAll: false,
        attachments: EXTRA_MESSAGES[0]?.attachments,
      })
    })
  })

  describe('facets and grouped searches (issue 13)', () => {
    const corpus = [...TEXT_MESSAGES, ...TEAM_MESSAGES, ...EXTRA_MESSAGES]

    test('facets count every match, by count then value, cut to their size; days in the zone', async (backend) => {
      await ctx.load(backend, 'messages', corpus)
      for (const caller of ['alice', 'bob', 'carol', 'nobody']) {
        const query: Query = { bool: { filter: [canSee(caller)] } }
        const page = await backend.search('messages', { query, sort: NEWEST, limit: 1, facets: FACETS })
        const oracle = oracleSearch('messages', corpus, query, NEWEST)
        expect(page.facets, caller).toEqual(oracleFacets(oracle.hits, FACETS))
      }
      const shanghai = await backend.search('messages', {
        query: { bool: { filter: [canSee('alice')] } },
        limit: 1,
        facets: { day: FACETS.day as FacetRequest },
      })
      // 15:00 and 17:00 UTC on 1 January are 2 January in Shanghai; T0 itself is 08:00 on the 1st.
      expect(shanghai.facets?.day?.map((d) => d.value)).toContain('2025-01-02')
      const none = await backend.search('messages', {
        query: { bool: { filter: [canSee('nobody')] } },
        limit: 1,
        facets: FACETS,
      })
      expect(none.facets).toEqual({ conversation: [], sender: [], type: [], day: [] })
    })

    test('a grouped search: each group its count and first document, groups by that document, then value', async (backend) => {
      await ctx.load(backend, 'messages', corpus)
      for (const caller of ['alice', 'carol']) {
        const query: Query = { bool: { filter: [canSee(caller)] } }
        const want = oracleGroups('messages', corpus, { query, field: 'conversationId', sort: NEWEST })
        const got = await readAllGroups(backend, query, 1)
        expect(got).toEqual(want.map((g) => ({ value: g.value, count: g.count, top: g.top.id })))
      }
    })
  })

  describe('facets and grouped searches equal the oracle on random corpora (issue 13)', () => {
    const requestArb = fc.record({
      caller: fc.constantFrom(...PEOPLE),
      tree: fc.option(messageTreeArb, { nil: undefined }),
      size: fc.integer({ min: 1, max: 3 }),
      zone: fc.constantFrom('UTC', 'Asia/Shanghai', 'America/New_York'),
      limit: fc.integer({ min: 1, max: 3 }),
    })
    test('random corpora, filters and sizes: facet counts and every page of groups', async () => {
      await fc.assert(
        fc.asyncProperty(messageCorpusArb, requestArb, async (corpus, r) =>
          ctx.withBackend(async (backend) => {
            await ctx.load(backend, 'messages', corpus.final)
            const query: Query = { bool: { filter: [canSee(r.caller), ...(r.tree ? [r.tree] : [])] } }
            const facets: Record<string, FacetRequest> = {
              conversation: { kind: 'terms', field: 'conversationId', size: r.size },
              sender: { kind: 'terms', field: 'senderId', size: r.size },
              day: { kind: 'day', field: 'sentAt', timeZone: r.zone, size: r.size },
            }
            const page = await backend.search('messages', { query, limit: 1, facets })
            const oracle = oracleSearch('messages', corpus.final, query)
            expect(page.total).toBe(oracle.total)
            expect(page.facets).toEqual(oracleFacets(oracle.hits, facets))
            const want = oracleGroups('messages', corpus.final, {
              query,
              field: 'conversationId',
              sort: NEWEST,
            })
            expect(await readAllGroups(backend, query, r.limit)).toEqual(
              want.map((g) => ({ value: g.value, count: g.count, top: g.top.id })),
            )
          }),
        ),
        { numRuns: Math.max(20, Math.floor(ctx.numRuns / 5)), seed: SEED },
      )
    })
  })
}

/** Every page of a grouped search by conversation, newest first, checking the page rules. */
async function readAllGroups(backend: SearchBackend, query: Query, limit: number) {
  const out: { value: string; count: number; top: string }[] = []
  let after: string | undefined
  for (let pages = 0; pages < 100; pages++) {
    const page = await backend.searchGrouped('messages', {
      query,
      field: 'conversationId',
      sort: NEWEST,
      limit,
      after,
    })
    out.push(...page.groups.map((g) => ({ value: g.value, count: g.count, top: g.top.id })))
    expect(page.groups.length).toBe(Math.min(limit, page.total - (out.length - page.groups.length)))
    after = page.next
    expect(after !== undefined).toBe(out.length < page.total)
    if (after === undefined) {
      expect(out.length).toBe(page.total)
      return out
    }
  }
  throw new Error('grouped search did not end')
}
