/**
 * @module Recipient lists after an index snapshot load: documents come back without them, and they
 * are put in when a document is returned, or in every document before a search that reads them
 * from the documents (exists, prefix, facets, grouping on the recipients). Against the index the
 * snapshot was taken from (the oracle), whatever search comes first after the load.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { MemoryBackend } from '../../adapters/memory/backend.ts'
import type { GroupedSearchRequest } from '../../src/ports/facets.ts'
import type { SearchRequest } from '../../src/ports/search-backend.ts'
import { messageDocument } from '../../src/services/documents.ts'
import { T0 } from '../contract/fixtures.ts'
import { snapshotRunDirs } from './snapshot-run-dirs.ts'

const PEOPLE = ['u1', 'u2', '张伟', 'Anna Lee', '李娜'] as const
const WORDS = ['上海测试', 'JWT token', '会议纪要', 'deploy 完成'] as const

const messageArb = fc.record({
  id: fc.nat({ max: 40 }),
  sender: fc.constantFrom(...PEOPLE),
  others: fc.subarray([...PEOPLE]),
  content: fc.constantFrom(...WORDS),
  slot: fc.nat({ max: 9 }),
})

const visibleTo = (user: string): SearchRequest['query'] => ({
  bool: { must: [{ match_all: {} }], filter: [{ terms: { field: 'recipients', values: [user] } }] },
})

/** Searches whose answers depend on the documents' own recipient lists, and the usual filtered one. */
const SEARCHES: SearchRequest[] = [
  { query: visibleTo('张伟'), limit: 50, sort: [{ field: { name: 'sentAt', order: 'desc' } }] },
  { query: { term: { field: 'recipients', value: 'u2' } }, limit: 50 },
  { query: { exists: { field: 'recipients' } }, limit: 50 },
  { query: { prefix: { field: 'recipients', value: 'A' } }, limit: 50 },
  {
    query: visibleTo('u1'),
    limit: 5,
    facets: { who: { kind: 'terms', field: 'recipients', size: 10 } },
  },
]

describe('recipient lists after a snapshot load', () => {
  const runDir = snapshotRunDirs('im-search-snapshot-lists-')

  it('answer every search, first or later, as the index the snapshot was taken from', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(messageArb, { minLength: 1, maxLength: 30 }),
        fc.shuffledSubarray(SEARCHES.map((_, i) => i)),
        async (messages, order) => {
          const dir = runDir()
          const original = new MemoryBackend({ snapshotDir: dir })
          for (const m of messages)
            await original.index('messages', [
              messageDocument({
                messageId: `m${m.id}`,
                conversationId: 'c-team',
                conversationType: 'group',
                senderId: m.sender,
                recipients: [m.sender, ...m.others],
                mentions: [],
                attachments: [],
                type: 'text',
                content: m.content,
                sentAt: T0 + m.slot * 60_000,
                sequenceId: m.id,
              }),
            ])
          await original.snapshots?.save({ storeId: 'store-1', covered: messages.length })
          const loaded = new MemoryBackend({ snapshotDir: dir })
          expect(await loaded.snapshots?.load()).toMatchObject({ loaded: true })
          for (const i of [...order, ...SEARCHES.keys()]) {
            const request = SEARCHES[i] as SearchRequest
            expect(await loaded.search('messages', request)).toEqual(
              await original.search('messages', request),
            )
          }
          const grouped: GroupedSearchRequest = {
            query: visibleTo('u2'),
            field: 'senderId',
            limit: 10,
            sort: [{ field: { name: 'sentAt', order: 'desc' } }],
          }
          expect(await loaded.searchGrouped('messages', grouped)).toEqual(
            await original.searchGrouped('messages', grouped),
          )
        },
      ),
      { numRuns: 40 },
    )
  })
})
