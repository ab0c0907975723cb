/**
 * @module Zero-downtime reindex (issue 6), on both backends: writes and recalls made while an
 * index is rebuilt are in the new generation after the swap, searches meanwhile answer correctly,
 * and every result afterwards equals a brute-force oracle over the stored records. Tablestore runs
 * through the real SDK against the emulator (with a search-index lag), fewer cases: it is slower.
 */
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createMemoryBackend } from '../../adapters/memory/index.ts'
import { MemoryRecordStore } from '../../adapters/memory/record-store.ts'
import {
  createTablestoreBackend,
  createTablestoreJobStore,
  createTablestoreRecordStore,
} from '../../adapters/tablestore/index.ts'
import type { RunningEmulator } from '../../emulator/index.ts'
import type { Message } from '../../src/domain/message.ts'
import type { JobStore } from '../../src/ports/job-store.ts'
import type { RecordScanner, RecordStore } from '../../src/ports/record-store.ts'
import type { SearchBackend } from '../../src/ports/search-backend.ts'
import { createCursorCodec } from '../../src/services/cursor.ts'
import { InMemoryJobStore } from '../../src/services/in-memory-job-store.ts'
import { Ingestion } from '../../src/services/ingestion.ts'
import { MessageSearch } from '../../src/services/message-search.ts'
import { peopleOf } from '../../src/services/people.ts'
import { INTERRUPTED, Reindexer } from '../../src/services/reindex.ts'
import { tokenize } from '../../src/text/analyzer.ts'
import { matchesAllTerms } from '../../src/text/match-rule.ts'
import { parseQueryTerms } from '../../src/text/query-terms.ts'
import { emulatorOptions, startStrictEmulator } from '../tablestore/emulator-options.ts'

const USERS = ['u1', 'u2', 'u3', 'u4']
const WORDS = ['上海', '测试', 'jwt', '表格存储', 'coffee', '会议', 'deploy', '东京タワー']

interface Ports {
  store: RecordStore & RecordScanner
  backend: SearchBackend
  jobs: JobStore
  /** Waits until completed writes are searchable (Tablestore's index follows its tables). */
  settle: () => Promise<void>
}

interface Kind {
  name: string
  ports: () => Ports
  /** Cases of the oracle property, and the most messages each starts with. */
  numRuns: number
  maxInitial: number
  /**
   * A cursor issued before a swap: the embedded backend's position is sort keys and an id, valid
   * in any generation; Tablestore's `next_token` is bound to the old generation's search index.
   */
  cursorAfterSwap: 'continues' | 'refused'
}

let emu: RunningEmulator
beforeAll(async () => {
  emu = await startStrictEmulator({ indexLagMs: 5 })
})
afterAll(async () => {
  await emu?.close()
})
let prefixes = 0

const KINDS: Kind[] = [
  {
    name: 'embedded',
    ports: () => ({
      store: new MemoryRecordStore(),
      backend: createMemoryBackend(),
      jobs: new InMemoryJobStore(),
      settle: async () => {},
    }),
    numRuns: 25,
    maxInitial: 120,
    cursorAfterSwap: 'continues',
  },
  {
    name: 'tablestore (emulator)',
    ports: () => {
      const options = emulatorOptions(emu, `ri${++prefixes}_`)
      const backend = createTablestoreBackend(options)
      return {
        store: createTablestoreRecordStore(options),
        backend,
        jobs: createTablestoreJobStore(options),
        settle: () => backend.settle(),
      }
    },
    numRuns: 3,
    maxInitial: 40,
    cursorAfterSwap: 'refused',
  },
]

async function world({ store, backend, jobs, settle }: Ports) {
  const ingestion = new Ingestion({ store, backend })
  const search = new MessageSearch(backend, createCursorCodec('test'), peopleOf(store))
  const reindexer = new Reindexer({ source: store, backend, jobs, pageSize: 7 })
  await ingestion.putGroup('g1', {
    name: '测试群',
    description: '',
    tags: [],
    visibility: 'public',
    ownerId: 'u1',
  })
  await ingestion.addMember('g1', 'u2')
  return { store, backend, ingestion, search, reindexer, jobs, settle }
}

type World = Awaited<ReturnType<typeof world>>

let next = 0
async function post(w: World, rng: () => number): Promise<string> {
  const group = rng() < 0.5
  const sender = group ? (rng() < 0.5 ? 'u1' : 'u2') : (USERS[Math.floor(rng() * USERS.length)] as string)
  const words = Array.from(
    { length: 1 + Math.floor(rng() * 3) },
    () => WORDS[Math.floor(rng() * WORDS.length)],
  )
  const messageId = `m${next++}`
  await w.ingestion.postMessage({
    messageId,
    conversationId: group ? 'g1' : `dm:${sender}`,
    senderId: sender,
    type: 'text',
    content: words.join(rng() < 0.5 ? ' ' : ''),
    ...(group ? {} : { recipients: [USERS[Math.floor(rng() * USERS.length)] as string] }),
  })
  return messageId
}

/** Every hit over all pages, and the total. */
async function searchAll(w: World, user: string, q: string) {
  const ids: string[] = []
  let total = -1
  let cursor: string | undefined
  do {
    const page = await w.search.search(user, { q, limit: 25, cursor, sort: 'newest' })
    ids.push(...page.hits.map((h) => h.messageId))
    total = page.total
    cursor = page.nextCursor
  } while (cursor)
  return { ids: ids.sort(), total }
}

async function oracle(w: World, user: string, q: string): Promise<string[]> {
  const terms = parseQueryTerms(q)
  const all: Message[] = []
  for await (const page of w.store.scan('messages', 100)) all.push(...page)
  return all
    .filter((m) => m.recipients.includes(user) && matchesAllTerms(tokenize(m.content), terms))
    .map((m) => m.messageId)
    .sort()
}

async function expectOracle(w: World) {
  await w.settle()
  for (const user of USERS)
    for (const q of ['上海', 'jwt 测试', '存储', 'coffee']) {
      const expected = await oracle(w, user, q)
      const got = await searchAll(w, user, q)
      expect(got.ids, `${user} ${q}`).toEqual(expected)
      expect(got.total).toBe(expected.length)
    }
}

describe.each(KINDS)('reindex on $name', (kind) => {
  it('keeps writes and recalls made during the rebuild; results equal the oracle', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer(), fc.integer({ min: 20, max: kind.maxInitial }), async (seed, initial) => {
        const w = await world(kind.ports())
        const rng = fc.sample(fc.double({ min: 0, max: 0.999999, noNaN: true }), { seed, numRuns: 2000 })
        let r = 0
        const random = () => rng[r++ % rng.length] as number
        const ids: string[] = []
        for (let i = 0; i < initial; i++) ids.push(await post(w, random))
        const job = await w.reindexer.start('messages')
        let during = 0
        while ((await w.reindexer.get(job.jobId)).state === 'running') {
          if (random() < 0.3 && ids.length > 0) {
            const [victim] = ids.splice(Math.floor(random() * ids.length), 1)
            await w.ingestion.recallMessage(victim as string)
          } else ids.push(await post(w, random))
          during++
          // Searches during the rebuild answer from the live generation, which is complete.
          if (during % 5 === 0) await expectOracle(w)
        }
        const finished = await w.reindexer.get(job.jobId)
        expect([finished.state, finished.error]).toEqual(['succeeded', undefined])
        expect((await w.backend.stats('messages')).generation).toBe(2)
        expect(during).toBeGreaterThan(0)
        await expectOracle(w)
      }),
      { numRuns: kind.numRuns, seed: 6 },
    )
  })

  it('refuses a second reindex of the same index while one runs (409), then allows it', async () => {
    const w = await world(kind.ports())
    for (let i = 0; i < 50; i++) await post(w, Math.random)
    const job = await w.reindexer.start('messages')
    await expect(w.reindexer.start('messages')).rejects.toMatchObject({ status: 409 })
    await expect(w.reindexer.start('all')).rejects.toMatchObject({ status: 409 })
    await w.reindexer.settle()
    expect((await w.reindexer.get(job.jobId)).state).toBe('succeeded')
    const all = await w.reindexer.start('all')
    await w.reindexer.settle()
    const done = await w.reindexer.get(all.jobId)
    expect(done).toMatchObject({ state: 'succeeded', index: 'all' })
    expect(done.processed).toBeGreaterThanOrEqual(50)
    // Messages were rebuilt twice, the others once.
    const generations = Object.fromEntries((await w.reindexer.indexes()).map((i) => [i.index, i.generation]))
    expect(generations).toEqual({ messages: 3, users: 2, groups: 2, contacts: 2 })
  })

  it(`a cursor issued before the swap ${kind.cursorAfterSwap === 'continues' ? 'continues on the new generation' : 'is refused, saying the index was rebuilt'}`, async () => {
    const w = await world(kind.ports())
    for (let i = 0; i < 30; i++)
      await w.ingestion.postMessage({
        messageId: `swap-${i}`,
        conversationId: 'g1',
        senderId: 'u1',
        type: 'text',
        content: `上海 ${i}`,
        sentAt: 1_700_000_000_000 + i * 1000,
      })
    await w.settle()
    const first = await w.search.search('u2', { q: '上海', limit: 10, sort: 'newest' })
    expect(first.nextCursor).toBeDefined()
    await w.reindexer.start('messages')
    await w.reindexer.settle()
    expect((await w.backend.stats('messages')).generation).toBe(2)
    const after = w.search.search('u2', { q: '上海', limit: 10, sort: 'newest', cursor: first.nextCursor })
    if (kind.cursorAfterSwap === 'continues')
      expect((await after).hits.map((h) => h.messageId)).toEqual(
        Array.from({ length: 10 }, (_, i) => `swap-${19 - i}`),
      )
    else
      await expect(after).rejects.toMatchObject({
        status: 400,
        issues: [{ path: 'cursor', message: expect.stringContaining('the messages index was rebuilt') }],
      })
  })

  it('cancels cleanly: the live generation stays, searches stay correct', async () => {
    const w = await world(kind.ports())
    for (let i = 0; i < 200; i++) await post(w, Math.random)
    const job = await w.reindexer.start('messages')
    const cancelled = await w.reindexer.cancel(job.jobId)
    expect(cancelled.state).toBe('cancelled')
    expect(cancelled.finishedAt).toBeTypeOf('number')
    expect(await w.backend.stats('messages')).toMatchObject({ generation: 1, rebuilding: false })
    await expect(w.reindexer.cancel(job.jobId)).rejects.toMatchObject({ status: 409 })
    await expectOracle(w)
  })

  it('fails a job left running by a stopped process, never leaving it running', async () => {
    const w = await world(kind.ports())
    await w.jobs.putJob({
      jobId: 'j-old',
      index: 'users',
      state: 'running',
      processed: 3,
      total: 10,
      startedAt: 1,
    })
    expect(await w.reindexer.recoverInterrupted()).toBe(1)
    expect(await w.reindexer.get('j-old')).toMatchObject({ state: 'failed', error: INTERRUPTED })
    await expect(w.reindexer.get('nope')).rejects.toMatchObject({ status: 404 })
  })
})
