/**
 * @module BatchWriteRow's two documented maxima, 200 row operations and 4 MB of data per request
 * (BatchWriteRow, https://help.aliyun.com/document_detail/27311.htm): the splitter respects both
 * (checked against an independent byte count, and greedily, so that no request is needlessly
 * small), and a batch of 100 messages of 16,384 CJK characters (about 11 MB of document rows:
 * the content is stored as given and as tokens) is ingested and reindexed through the real app
 * on the emulator.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { encodeDocument } from '../../adapters/tablestore/doc-codec.ts'
import { createTablestoreBackend, createTablestoreRecordStore } from '../../adapters/tablestore/index.ts'
import { BATCH_LIMITS, type BatchPut, type Cells, writeBatches } from '../../adapters/tablestore/rows.ts'
import type { MessageDocument } from '../../src/ports/documents.ts'
import { messageDocument } from '../../src/services/documents.ts'
import { InMemoryJobStore } from '../../src/services/in-memory-job-store.ts'
import { Reindexer } from '../../src/services/reindex.ts'
import { emulatorOptions, useTablestoreEmulator } from './emulator-options.ts'

const emulator = useTablestoreEmulator()

/** 16,384 CJK characters (48 KB of UTF-8), different per message and carrying a findable word. */
function longChinese(n: number): string {
  const base = '表格存储的批量写入有行数与字节两个上限'
  let text = `长消息${n}号`
  while (text.length < 16_384) text += base
  return text.slice(0, 16_384)
}

const message = (n: number): MessageDocument =>
  messageDocument({
    messageId: `m${n}`,
    conversationId: 'c-long',
    sequenceId: n,
    senderId: 'u1',
    type: 'text',
    content: longChinese(n),
    sentAt: 1_700_000_000_000 + n,
    conversationType: 'single',
    recipients: ['u1', 'u2'],
  })

/** Bytes of names and values, counted independently of the adapter's estimate (no overheads). */
function dataBytes(cells: Cells): number {
  let n = 0
  for (const [name, value] of Object.entries(cells)) {
    if (value === undefined) continue
    n += Buffer.byteLength(name) + (typeof value === 'string' ? Buffer.byteLength(value) : 8)
  }
  return n
}

const rowData = (row: BatchPut) => dataBytes(row.key) + dataBytes(row.columns)

function checkBatches(rows: BatchPut[]): BatchPut[][] {
  const batches = writeBatches(rows)
  expect(batches.flat()).toEqual(rows)
  for (const batch of batches) {
    expect(batch.length).toBeGreaterThan(0)
    expect(batch.length).toBeLessThanOrEqual(BATCH_LIMITS.writeRows)
    if (batch.length > 1)
      expect(batch.reduce((n, row) => n + rowData(row), 0)).toBeLessThanOrEqual(BATCH_LIMITS.writeBytes)
  }
  return batches
}

describe('BatchWriteRow splitting', () => {
  it('100 messages of 16,384 CJK characters go in requests under 4 MB each', () => {
    const rows = Array.from({ length: 100 }, (_, n) => ({
      type: 'PUT' as const,
      ...encodeDocument('messages', message(n), 'w', 'set'),
    }))
    const total = rows.reduce((n, row) => n + rowData(row), 0)
    expect(total).toBeGreaterThan((3 * BATCH_LIMITS.writeBytes) / 1.2)
    const batches = checkBatches(rows)
    expect(batches.length).toBe(Math.ceil(total / (BATCH_LIMITS.writeBytes * 0.99)))
  })

  it('any mix of row sizes: at most 200 rows and 4 MB per request, in order, each request as full as fits', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 1_500_000 }), { maxLength: 500 }), (sizes) => {
        const rows: BatchPut[] = sizes.map((size, i) => ({
          type: 'PUT',
          key: { id: `k${i}` },
          columns: { body: 'x'.repeat(size) },
        }))
        const batches = checkBatches(rows)
        // Greedy: the first row of the next request would not have fitted in this one.
        for (let i = 0; i + 1 < batches.length; i++) {
          const batch = batches[i] as BatchPut[]
          const next = (batches[i + 1] as BatchPut[])[0] as BatchPut
          const bytes = [...batch, next].reduce((n, row) => n + rowData(row), 0)
          const full = batch.length === BATCH_LIMITS.writeRows
          expect(full || bytes > BATCH_LIMITS.writeBytes * 0.99).toBe(true)
        }
      }),
      { numRuns: 60 },
    )
  })
})

describe('a batch of long CJK messages on Tablestore (emulator)', () => {
  it('indexes 100 messages of 16,384 characters in one call, finds them, and a reindex rebuilds them', async () => {
    const options = emulatorOptions(emulator(), `lb${process.pid}_`)
    const store = createTablestoreRecordStore(options)
    const backend = createTablestoreBackend(options)
    const reindexer = new Reindexer({ source: store, backend, jobs: new InMemoryJobStore() })
    const messages = Array.from({ length: 100 }, (_, n) => message(n))
    // The HTTP batch route takes 1 MB bodies; the adapter's batch is the port's `index` call.
    for (const m of messages) await store.insertMessage(m)
    await backend.index('messages', messages)
    await backend.settle()
    const search = (word: string) =>
      backend.search('messages', {
        query: { match_phrase: { field: 'content', query: word } },
        limit: 100,
      })
    expect((await search('长消息7号')).hits.map((hit) => hit.id)).toEqual(['m7'])
    expect((await search('批量写入')).total).toBe(100)

    const job = await reindexer.start('messages')
    await reindexer.settle()
    expect(await reindexer.get(job.jobId)).toMatchObject({ state: 'succeeded', processed: 100 })
    expect(await backend.stats('messages')).toEqual({ documents: 100, generation: 2, rebuilding: false })
    const after = await search('批量写入')
    expect(after.total).toBe(100)
    expect(after.hits[0]?.document.content).toHaveLength(16_384)
    await backend.close()
    await store.close()
  }, 120_000)
})
