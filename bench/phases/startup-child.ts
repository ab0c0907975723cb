/**
 * @module The start-up of a fresh service process, as `src/main.ts` does it: open the data dir
 * and rebuild every index from it. Run by `data-dir.ts` in a child process with `npm start`'s
 * Node flags, so that the bench's own heap (corpus, earlier phases) does not weigh on it; sends
 * `{ seconds, indexed }` to the parent.
 * Usage: `node --max-old-space-size=N --max-semi-space-size=64 --import tsx bench/phases/startup-child.ts <dataDir>`
 */
import { createMemoryBackend } from '../../adapters/memory/index.ts'
import { LmdbRecordStore } from '../../adapters/memory/lmdb-record-store.ts'
import { buildIndexes } from '../../src/services/index-builder.ts'

const dataDir = process.argv[2]
if (!dataDir || !process.send)
  throw new Error('usage: startup-child.ts <dataDir> (forked with an IPC channel)')
const began = performance.now()
const store = new LmdbRecordStore(dataDir)
const indexed = await buildIndexes(store, createMemoryBackend())
const seconds = (performance.now() - began) / 1000
await store.close()
process.send({ seconds, indexed }, () => process.exit(0))
