/**
 * @module Query latency on a data dir, in a fresh process started as `npm start` starts (index
 * snapshot loaded): for `bench:data-dir`, whose corpus is too large for the main bench to hold
 * beside its own in-memory copy (issue 15: ten million messages). The same searchers, queries and
 * budget as the main bench; sends `{ searchers, messages, discovery, servedHeapBytes }` to the parent:
 * `servedHeapBytes` is the heap and typed arrays after the queries and full GCs, which includes what
 * the indexes build on first use (facet columns, recipient lists), unlike the started heap.
 * Run with `--expose-gc`.
 * Usage: forked by `bench/data-dir.ts` with `<dataDir> <messages> <seed>`.
 */
import { join } from 'node:path'
import { createMemoryBackend } from '../../adapters/memory/index.ts'
import { LmdbRecordStore } from '../../adapters/memory/lmdb-record-store.ts'
import { createServices } from '../../src/services/index.ts'
import { startIndexes } from '../../src/services/index-startup.ts'
import { corpusEvents, corpusOf } from '../corpus/index.ts'
import type { Budget } from '../lib/stats.ts'
import { measureDiscovery, measureImQuery, measureMessageQuery } from './ours.ts'
import { pickSearchers } from './pick-users.ts'
import { IM_QUERIES, MESSAGE_QUERIES } from './queries.ts'

/** The main bench's budget for our own queries at 10,000 messages and more. */
const BUDGET: Budget = { warmup: 20, minRuns: 100, maxRuns: 3000, maxMs: 2000 }

const [dataDir, n, seed] = process.argv.slice(2)
if (!dataDir || !n || !seed || !process.send)
  throw new Error('usage: latency-child.ts <dataDir> <messages> <seed> (forked with an IPC channel)')
const corpus = corpusOf(Number(n), Number(seed))
// Messages each user may see, from the generator: what picks the 1% and 10% searchers.
const visible = new Int32Array(corpus.users.length)
for (const event of corpusEvents(corpus))
  if (event.kind === 'message') for (const u of event.message.recipientIdx) visible[u] = (visible[u] ?? 0) + 1
const store = new LmdbRecordStore(dataDir)
const backend = createMemoryBackend({ snapshotDir: join(dataDir, 'index-snapshot') })
const startup = await startIndexes({ store, backend, feed: store })
if (startup.mode !== 'snapshot')
  throw new Error(`expected a snapshot start, got ${startup.mode}: ${startup.reason}`)
const services = createServices({ store, backend, cursorSecret: 'bench' })
const searchers = await pickSearchers(corpus, visible, services)
const messages = []
for (const searcher of searchers) {
  for (const query of MESSAGE_QUERIES)
    messages.push(await measureMessageQuery(services, backend, query, searcher, BUDGET))
  for (const query of IM_QUERIES)
    messages.push(await measureImQuery(services, backend, query, searcher, BUDGET))
}
const discovery = await measureDiscovery(services, searchers[0]!.userId, BUDGET)
globalThis.gc?.()
globalThis.gc?.()
const { heapUsed, arrayBuffers } = process.memoryUsage()
await store.close()
process.send({ searchers, messages, discovery, servedHeapBytes: heapUsed + arrayBuffers }, () =>
  process.exit(0),
)
