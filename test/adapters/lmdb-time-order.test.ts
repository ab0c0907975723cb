/**
 * @module An index built at start from the LMDB store keeps time order (issue 15): LMDB keys
 * messages by id, and an index filled in id order never takes the newest-first listing's early
 * stop (`adapters/memory/newest-up-to.ts`). Messages whose ids run against their times are
 * ingested, the service restarts (indexes rebuilt from the store), and the listing and search
 * answer like the oracle and stop early, counted by the engine.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import fc from 'fast-check'
import { open } from 'lmdb'
import { afterAll, describe, expect, it } from 'vitest'
import { MemoryBackend } from '../../adapters/memory/backend.ts'
import { LmdbRecordStore } from '../../adapters/memory/lmdb-record-store.ts'
import type { Message } from '../../src/domain/message.ts'
import type { MessageDocument } from '../../src/ports/documents.ts'
import type { MessageDraft } from '../../src/ports/record-store.ts'
import type { SearchRequest } from '../../src/ports/search-backend.ts'
import type { Query } from '../../src/query/dsl.ts'
import type { Sort } from '../../src/query/sort.ts'
import { messageDocument } from '../../src/services/documents.ts'
import { buildIndexes } from '../../src/services/index-builder.ts'
import { permissionFilter } from '../../src/services/message-search.ts'
import { oracleSearch } from '../oracle/evaluate.ts'

const root = mkdtempSync(join(tmpdir(), 'imsearch-time-order-'))
let dirs = 0
afterAll(() => rmSync(root, { recursive: true, force: true }))

const T0 = Date.UTC(2026, 0, 1)
const NEWEST: Sort[] = [
  { field: { name: 'sentAt', order: 'desc' } },
  { field: { name: 'sequenceId', order: 'desc' } },
]
const LIMIT = 3
const USERS = ['u1', 'u2', 'u3']
/** c0: u1 and u2 directly; c1: a group of all three; c2: u2 and u3's group. */
const CONVERSATIONS: Record<string, { type: 'single' | 'group'; members: string[] }> = {
  c0: { type: 'single', members: ['u1', 'u2'] },
  c1: { type: 'group', members: ['u1', 'u2', 'u3'] },
  c2: { type: 'group', members: ['u2', 'u3'] },
}
const CONTENTS = ['今天天气很好', 'coffee 今天 meeting', '火锅 今晚 hello', 'deploy 完成了']

function draft(messageId: string, i: number, conversation: string, content: string): MessageDraft {
  const { type, members } = CONVERSATIONS[conversation] as { type: 'single' | 'group'; members: string[] }
  return {
    messageId,
    conversationId: conversation,
    senderId: members[i % members.length] as string,
    type: 'text',
    content,
    // Arrival order is time order, a second apart: what the listing's early stop relies on.
    sentAt: T0 + i * 1_000,
    conversationType: type,
    recipients: members,
  }
}

/** Ingest in time order, as the service does (store, then index); return the stored messages. */
async function ingest(dir: string, drafts: readonly MessageDraft[]): Promise<Message[]> {
  const store = new LmdbRecordStore(dir)
  const backend = new MemoryBackend()
  const stored: Message[] = []
  for (const d of drafts) {
    const { message } = await store.insertMessage(d)
    await backend.index('messages', [messageDocument(message)])
    stored.push(message)
  }
  await store.close()
  return stored
}

/** The restart: a new process's store and backend, indexes rebuilt from the data dir. */
async function restart(dir: string): Promise<{ store: LmdbRecordStore; backend: MemoryBackend }> {
  const store = new LmdbRecordStore(dir)
  const backend = new MemoryBackend()
  await buildIndexes(store, backend)
  return { store, backend }
}

const listing = (caller: string, conversationId: string): Query => ({
  bool: { filter: [permissionFilter(caller), { term: { field: 'conversationId', value: conversationId } }] },
})
const search = (caller: string, word: string): Query => ({
  bool: { must: [{ match_phrase: { field: 'content', query: word } }], filter: [permissionFilter(caller)] },
})

/** Every page of a newest-first request: ids in order, and the total each page reported. */
async function allPages(backend: MemoryBackend, query: Query): Promise<{ ids: string[]; totals: number[] }> {
  const ids: string[] = []
  const totals: number[] = []
  let after: string | undefined
  do {
    const request: SearchRequest = { query, sort: NEWEST, limit: LIMIT, after }
    const page = await backend.search('messages', request)
    ids.push(...page.hits.map((h) => h.id))
    totals.push(page.total)
    after = page.next
  } while (after)
  return { ids, totals }
}

function expectOracle(
  docs: readonly MessageDocument[],
  query: Query,
  got: { ids: string[]; totals: number[] },
) {
  const oracle = oracleSearch('messages', docs, query, NEWEST)
  expect(new Set(got.ids)).toEqual(oracle.ids)
  expect(got.ids.length).toBe(oracle.total)
  expect(oracle.firstOutOfOrder(got.ids.map((id) => ({ id, score: 0 })))).toBe(-1)
  for (const total of got.totals) expect(total).toBe(oracle.total)
}

describe('time order after a restart from LMDB (issue 15)', () => {
  it('listings and searches equal the oracle and the listings stop early, whatever the ids', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc
          .array(
            fc.record({
              conversation: fc.constantFrom('c0', 'c1', 'c2'),
              content: fc.constantFrom(...CONTENTS),
            }),
            {
              minLength: 1,
              maxLength: 30,
            },
          )
          .chain((rows) =>
            fc.tuple(
              fc.constant(rows),
              fc.uniqueArray(fc.integer({ min: 0, max: 999_999 }), {
                minLength: rows.length,
                maxLength: rows.length,
              }),
            ),
          ),
        async ([rows, idNumbers]) => {
          const dir = join(root, String(dirs++))
          const drafts = rows.map((row, i) => draft(`m${idNumbers[i]}`, i, row.conversation, row.content))
          const docs = (await ingest(dir, drafts)).map(messageDocument)
          const { store, backend } = await restart(dir)
          try {
            // First pages alone: each listing with more matches than the page and the one after
            // it, all a second apart, must stop at the first older candidate.
            let expectedStops = 0
            for (const caller of USERS)
              for (const conversation of Object.keys(CONVERSATIONS)) {
                const query = listing(caller, conversation)
                const page = await backend.search('messages', { query, sort: NEWEST, limit: LIMIT })
                if (page.total > LIMIT + 1) expectedStops++
              }
            expect(backend.earlyStops('messages')).toBe(expectedStops)
            for (const caller of USERS) {
              for (const conversation of Object.keys(CONVERSATIONS)) {
                const query = listing(caller, conversation)
                expectOracle(docs, query, await allPages(backend, query))
              }
              for (const word of ['今天', 'coffee', '火锅'])
                expectOracle(docs, search(caller, word), await allPages(backend, search(caller, word)))
            }
          } finally {
            await store.close()
          }
        },
      ),
      { numRuns: 25 },
    )
  })

  it('an index filled in id order, as the store gave it before, never stops early', async () => {
    // The regression this guards against, shown with the same counter.
    // u1 is in two recipient lists (c0's and c1's): its permission is a mask over the listing's posting.
    const drafts = Array.from({ length: 12 }, (_, i) =>
      draft(`m${99 - i}`, i, i % 3 === 0 ? 'c0' : 'c1', CONTENTS[i % 4] as string),
    )
    const dir = join(root, String(dirs++))
    const docs = (await ingest(dir, drafts)).map(messageDocument)
    const byId = new MemoryBackend()
    await byId.index(
      'messages',
      [...docs].sort((a, b) => (a.messageId < b.messageId ? -1 : 1)),
    )
    await byId.search('messages', { query: listing('u1', 'c1'), sort: NEWEST, limit: LIMIT })
    expect(byId.earlyStops('messages')).toBe(0)
    const { store, backend } = await restart(dir)
    try {
      const page = await backend.search('messages', {
        query: listing('u1', 'c1'),
        sort: NEWEST,
        limit: LIMIT,
      })
      expect(page.hits.map((h) => h.id)).toEqual(['m88', 'm89', 'm91'])
      expect(page.total).toBe(8)
      expect(backend.earlyStops('messages')).toBe(1)
    } finally {
      await store.close()
    }
  })

  it('a data dir written before the time index gets it at open, and one cut short is redone', async () => {
    const drafts = Array.from({ length: 8 }, (_, i) =>
      draft(`m${50 - i}`, i, 'c0', CONTENTS[i % 4] as string),
    )
    const dir = join(root, String(dirs++))
    const stored = await ingest(dir, drafts)
    const timeOrder = stored.map((m) => m.messageId)
    for (const damage of ['missing', 'partial'] as const) {
      const env = open({ path: dir, compression: true })
      const byTime = env.openDB({ name: 'by_time' })
      if (damage === 'missing') await byTime.clearAsync()
      else await byTime.remove([T0 + 3_000, 'm47'])
      await env.close()
      const store = new LmdbRecordStore(dir)
      try {
        const scanned: string[] = []
        for await (const page of store.scan('messages', 3)) scanned.push(...page.map((m) => m.messageId))
        expect(scanned).toEqual(timeOrder)
      } finally {
        await store.close()
      }
    }
  })
})
