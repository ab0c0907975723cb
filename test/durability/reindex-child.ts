/**
 * @module A child process for the reindex crash test: opens an LMDB data dir as the service does
 * (indexes rebuilt in memory, jobs kept in LMDB), starts a reindex of `messages` that reads one
 * page every few milliseconds, and prints `started <jobId>` then `saved <processed>` whenever
 * the job's saved progress moves. The parent kills it with SIGKILL mid-job.
 */
import { setTimeout as sleep } from 'node:timers/promises'
import { createMemoryBackend } from '../../adapters/memory/index.ts'
import { LmdbRecordStore } from '../../adapters/memory/lmdb-record-store.ts'
import type { RecordKind, RecordKinds, RecordScanner } from '../../src/ports/record-store.ts'
import { buildIndexes } from '../../src/services/index-builder.ts'
import { Reindexer } from '../../src/services/reindex.ts'

const [dir] = process.argv.slice(2)
if (!dir) throw new Error('usage: reindex-child.ts <dir>')
const store = new LmdbRecordStore(dir)
const backend = createMemoryBackend()
await buildIndexes(store, backend)
// Slowed down so that the job is surely under way when the parent kills the process.
const source: RecordScanner = {
  async *scan<K extends RecordKind>(kind: K, pageSize: number): AsyncIterable<RecordKinds[K][]> {
    for await (const page of store.scan(kind, pageSize)) {
      await sleep(2)
      yield page
    }
  },
}
const reindexer = new Reindexer({
  source,
  backend,
  jobs: store,
  saveEveryMs: 20,
  staleAfterMs: 0,
  pageSize: 10,
})
const job = await reindexer.start('messages')
process.stdout.write(`started ${job.jobId}\n`)
let saved = 0
for (;;) {
  const stored = await store.getJob(job.jobId)
  if (stored && stored.processed > saved) {
    saved = stored.processed
    process.stdout.write(`saved ${saved}\n`)
  }
  await sleep(5)
}
