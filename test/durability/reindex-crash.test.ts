/**
 * @module Kill -9 during a reindex on the embedded backend (issue 6): the job a killed process
 * left `running` in LMDB is failed, clearly, by the next start; the records are intact, and the
 * indexes rebuilt from them answer as the records say, and a new reindex succeeds.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { createMemoryBackend } from '../../adapters/memory/index.ts'
import { LmdbRecordStore } from '../../adapters/memory/lmdb-record-store.ts'
import { createServices } from '../../src/services/index.ts'
import { buildIndexes } from '../../src/services/index-builder.ts'
import { INTERRUPTED } from '../../src/services/reindex.ts'
import { runUntilKilled } from './killed-child.ts'

const CHILD = join(import.meta.dirname, 'reindex-child.ts')
const MESSAGES = 1500
const dir = mkdtempSync(join(tmpdir(), 'imsearch-reindex-crash-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** Runs the child until the job's saved progress passes `minProcessed`, then kills it. */
async function reindexUntilKilled(minProcessed: number): Promise<{ jobId: string; saved: number }> {
  let jobId = ''
  let saved = 0
  await runUntilKilled(CHILD, [dir], (line) => {
    const [kind, value] = line.split(' ')
    if (kind === 'started' && value) jobId = value
    if (kind === 'saved' && value) saved = Number(value)
    return jobId !== '' && saved >= minProcessed
  })
  return { jobId, saved }
}

describe('embedded backend: kill -9 during a reindex', () => {
  it('the next start fails the job clearly; records and rebuilt indexes are intact', async () => {
    const seeding = new LmdbRecordStore(dir)
    const seeded = createServices({ store: seeding, backend: createMemoryBackend() })
    await seeded.ingestion.putGroup('g1', {
      name: '重建测试群',
      description: '',
      tags: [],
      visibility: 'public',
      ownerId: 'u1',
    })
    for (let i = 0; i < MESSAGES; i++)
      await seeded.ingestion.postMessage({
        messageId: `m${i}`,
        conversationId: 'g1',
        senderId: 'u1',
        type: 'text',
        content: i % 3 === 0 ? `第 ${i} 条 上海` : `第 ${i} 条 message`,
      })
    await seeding.close()

    const killed = await reindexUntilKilled(100)
    expect(killed.saved).toBeLessThan(MESSAGES)

    // The restart, as src/main.ts does it: indexes from the records, then recoverInterrupted.
    const store = new LmdbRecordStore(dir)
    try {
      expect(await store.getJob(killed.jobId)).toMatchObject({ state: 'running' })
      const backend = createMemoryBackend()
      await buildIndexes(store, backend)
      const services = createServices({ store, backend, jobs: store, reindexStaleAfterMs: 0 })
      expect(await services.reindexer.recoverInterrupted()).toBe(1)
      const failed = await services.reindexer.get(killed.jobId)
      expect(failed).toMatchObject({ state: 'failed', error: INTERRUPTED, finishedAt: expect.any(Number) })
      expect(failed.processed).toBeGreaterThanOrEqual(100)

      const history = await store.history('g1', { direction: 'forward', limit: 100_000 })
      expect(history.map((m) => m.messageId)).toEqual(Array.from({ length: MESSAGES }, (_, i) => `m${i}`))
      const page = await services.messages.search('u1', { q: '上海', limit: 1 })
      expect(page.total).toBe(MESSAGES / 3)

      const again = await services.reindexer.start('messages')
      await services.reindexer.settle()
      expect(await services.reindexer.get(again.jobId)).toMatchObject({
        state: 'succeeded',
        processed: MESSAGES,
      })
      expect((await services.messages.search('u1', { q: '上海', limit: 1 })).total).toBe(MESSAGES / 3)
    } finally {
      await store.close()
    }
  })
})
