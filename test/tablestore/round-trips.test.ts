/**
 * @module Round trips to Tablestore per operation, counted by the emulator (`requestCounts`, every
 * request it received), in steady state: tables exist, recipient sets and the generation row are
 * cached (each backend reads an index's generation row at most once per `generationTtlMs`, 5 s
 * here, and each count follows the same operation run once before, so that it is the operation's own). Windows and index lag are 0 so that
 * `settle()` polls once. Targets (issue #12): a message search in at most 2 requests, a batch of
 * 100 messages indexed in at most 12, a reindex in at most 8 per 1,000 messages. The adapter
 * README publishes what this file prints.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  createTablestoreBackend,
  createTablestoreRecordStore,
  type TablestoreBackend,
  type TablestoreRecordStore,
} from '../../adapters/tablestore/index.ts'
import type { RunningEmulator } from '../../emulator/index.ts'
import type { MessageDocument } from '../../src/ports/documents.ts'
import { createCursorCodec } from '../../src/services/cursor.ts'
import { messageDocument } from '../../src/services/documents.ts'
import { InMemoryJobStore } from '../../src/services/in-memory-job-store.ts'
import { Ingestion } from '../../src/services/ingestion.ts'
import { MessageSearch } from '../../src/services/message-search.ts'
import { peopleOf } from '../../src/services/people.ts'
import { Reindexer } from '../../src/services/reindex.ts'
import { emulatorOptions, startStrictEmulator } from './emulator-options.ts'

const REINDEXED = 10_000
/** Requests per operation, measured below, for the README. */
const measured: Record<string, Record<string, number>> = {}

let emu: RunningEmulator
let store: TablestoreRecordStore
let backend: TablestoreBackend
beforeAll(async () => {
  emu = await startStrictEmulator({ indexLagMs: 0, tableReadyMs: 0, indexReadyMs: 0 })
  const options = { ...emulatorOptions(emu, 'rt_'), generationTtlMs: 5_000, rebuildGraceMs: 5_100 }
  store = createTablestoreRecordStore(options)
  backend = createTablestoreBackend(options)
})
afterAll(async () => {
  console.log(`[round trips] requests per operation:\n${JSON.stringify(measured, null, 1)}`)
  await backend?.close()
  await store?.close()
  await emu?.close()
})

/** Runs `operation` and answers the requests it made, per Tablestore operation. */
async function count(name: string, operation: () => Promise<unknown>): Promise<number> {
  emu.resetRequestCounts()
  await operation()
  const counts = emu.requestCounts()
  measured[name] = counts
  return Object.values(counts).reduce((n, c) => n + c, 0)
}

const message = (n: number, conversation = `dm-${n % 50}`) => ({
  messageId: `m${n}`,
  conversationId: conversation,
  senderId: 'u1',
  type: 'text',
  content: `第${n}条消息 about the quarterly 报告 ${n % 7}`,
  recipients: ['u2'],
})

describe('round trips per operation (emulator request counters)', () => {
  it('single ingest, message search, user search, recall and a batch of 100', async () => {
    const ingestion = new Ingestion({ store, backend })
    const search = new MessageSearch(backend, createCursorCodec('rt'), peopleOf(store))
    // Warm-up: tables, the caller's recipient set, the generation rows.
    await ingestion.postMessage(message(0, 'dm-warm'))
    await backend.settle()
    await search.search('u2', { q: '报告', limit: 20 })
    await backend.search('users', { query: { match_all: {} }, limit: 20 })

    const ingest = await count('single ingest (service: store, then index)', () =>
      ingestion.postMessage(message(1, 'dm-warm')),
    )
    await backend.settle()
    await search.search('u2', { q: '报告', limit: 20 })
    const messageSearch = await count('message search (service, one page)', () =>
      search.search('u2', { q: '报告', limit: 20 }),
    )
    await backend.search('users', { query: { match_all: {} }, limit: 20 })
    const userSearch = await count('user search (one page)', () =>
      backend.search('users', {
        query: { bool: { should: [{ term: { field: 'nameNormalized', value: '张伟' } }] } },
        limit: 20,
      }),
    )
    const recall = await count('recall (service)', () => ingestion.recallMessage('m1'))

    const docs: MessageDocument[] = Array.from({ length: 100 }, (_, n) => ({
      ...messageDocument({
        ...message(1000 + n, 'dm-warm'),
        sequenceId: 1000 + n,
        sentAt: 1_700_000_000_000 + n,
        conversationType: 'single',
        recipients: ['u1', 'u2'],
      }),
    }))
    const batch = await count('batch of 100 messages (index)', () => backend.index('messages', docs))

    // The search, and (issue 13) one BatchGetRow for the page's sender names.
    expect(messageSearch).toBeLessThanOrEqual(3)
    expect(userSearch).toBeLessThanOrEqual(1)
    expect(batch).toBeLessThanOrEqual(12)
    expect(ingest).toBeGreaterThan(0)
    expect(recall).toBeGreaterThan(0)
  })

  it(`reindex of ${REINDEXED.toLocaleString('en')} messages: at most 8 requests per 1,000`, async () => {
    for (let n = 0; n < REINDEXED; n += 100)
      await Promise.all(
        Array.from({ length: 100 }, (_, i) =>
          store.insertMessage({
            ...message(10_000 + n + i),
            sentAt: 1_700_000_000_000 + n + i,
            conversationType: 'single',
            recipients: ['u1', 'u2'],
          }),
        ),
      )
    const reindexer = new Reindexer({ source: store, backend, jobs: new InMemoryJobStore(), pageSize: 5_000 })
    const requests = await count(`reindex of ${REINDEXED} messages`, async () => {
      const job = await reindexer.start('messages')
      await reindexer.settle()
      expect(await reindexer.get(job.jobId)).toMatchObject({ state: 'succeeded' })
    })
    expect(requests / (REINDEXED / 1000)).toBeLessThanOrEqual(8)
  }, 300_000)
})
