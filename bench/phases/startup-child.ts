/**
 * @module The start-up of a fresh service process, as `src/main.ts` does it: open the data dir,
 * load the index snapshot and replay the changes after it, or, without a usable snapshot, rebuild
 * every index and save one. Run by `data-dir.ts` in a child process with `npm start`'s Node flags
 * (plus `--expose-gc`, to read the heap the indexes hold), so that the bench's own heap does not
 * weigh on it; sends `{ seconds, mode, reason, replayed, indexed, heapBytes, snapshotSeconds }`.
 * Usage: `node --max-old-space-size=N --max-semi-space-size=64 --expose-gc --import ./loader/register.mjs bench/phases/startup-child.ts <dataDir>`
 */
import { join } from 'node:path'
import { createMemoryBackend } from '../../adapters/memory/index.ts'
import { LmdbRecordStore } from '../../adapters/memory/lmdb-record-store.ts'
import { INDEX_NAMES } from '../../src/query/index-schemas.ts'
import { startIndexes } from '../../src/services/index-startup.ts'

const dataDir = process.argv[2]
if (!dataDir || !process.send)
  throw new Error('usage: startup-child.ts <dataDir> (forked with an IPC channel)')
const began = performance.now()
const store = new LmdbRecordStore(dataDir)
const backend = createMemoryBackend({ snapshotDir: join(dataDir, 'index-snapshot') })
const startup = await startIndexes({ store, backend, feed: store })
const seconds = (performance.now() - began) / 1000
const indexed: Record<string, number> = {}
for (const index of INDEX_NAMES) indexed[index] = (await backend.stats(index)).documents
// What the started service holds: the indexes, after the start-up's garbage is collected.
globalThis.gc?.()
globalThis.gc?.()
const { heapUsed, arrayBuffers } = process.memoryUsage()
await store.close()
process.send(
  {
    seconds,
    mode: startup.mode,
    reason: startup.reason,
    replayed: startup.replayed,
    indexed,
    heapBytes: heapUsed + arrayBuffers,
    rssBytes: process.memoryUsage().rss,
  },
  () => process.exit(0),
)
