/**
 * @module What a started service's heap holds (issue 15): starts on a data dir as
 * `phases/startup-child.ts` does (the index snapshot loaded), then prints the heap plus
 * typed-array buffers after full collections beside what `/metrics` reports by index and part
 * (`memoryUsage()`), and with `--snapshot FILE` writes a V8 heap snapshot for a tool to break
 * down. Run:
 * `node --expose-gc --max-old-space-size=16384 --import ./loader/register.mjs bench/profile/loaded-heap.ts <dataDir> [--snapshot FILE]`
 */
import { join } from 'node:path'
import { writeHeapSnapshot } from 'node:v8'
import { createMemoryBackend } from '../../adapters/memory/index.ts'
import { LmdbRecordStore } from '../../adapters/memory/lmdb-record-store.ts'
import { INDEX_NAMES } from '../../src/query/index-schemas.ts'
import { startIndexes } from '../../src/services/index-startup.ts'
import { settle } from '../lib/memory.ts'

const dataDir = process.argv[2]
if (!dataDir) throw new Error('usage: loaded-heap.ts <dataDir> [--snapshot FILE]')
const at = process.argv.indexOf('--snapshot')
const snapshotFile = at < 0 ? undefined : process.argv[at + 1]
const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`

const empty = settle()
const store = new LmdbRecordStore(dataDir)
const backend = createMemoryBackend({ snapshotDir: join(dataDir, 'index-snapshot') })
const startup = await startIndexes({ store, backend, feed: store })
await store.close()
const started = settle()
process.stdout.write(
  `start-up: ${startup.mode}; heap ${mb(started.heapUsed - empty.heapUsed)}, array buffers ${mb(started.arrayBuffers - empty.arrayBuffers)} over an empty process\n`,
)
const usage = backend.memoryUsage?.() ?? []
for (const index of INDEX_NAMES) {
  const { documents } = await backend.stats(index)
  const parts = usage.filter((p) => p.index === index)
  const total = parts.reduce((sum, p) => sum + p.bytes, 0)
  process.stdout.write(
    `${index.padEnd(9)} ${String(documents).padStart(9)} documents, reported ${mb(total)}: ${parts.map((p) => `${p.part} ${mb(p.bytes)}`).join(', ')}\n`,
  )
}
if (snapshotFile) process.stdout.write(`heap snapshot: ${writeHeapSnapshot(snapshotFile)}\n`)
