/**
 * @module Every message query kind of the bench (plain, grouped, four facets) for the 1% and 10%
 * searchers, through the services, on N messages ingested in-process: p50/p99 per kind, for
 * comparing two builds side by side without the whole bench.
 * `node --max-old-space-size=8192 --import ./loader/register.mjs bench/profile/message-kinds.ts 200000 [runs]`
 * After the queries it prints the messages index's bytes a message by part (`memoryUsage()`):
 * the facet columns, visit marks and merged postings the queries made are in `masks`.
 */
import { createServices } from '../../src/services/index.ts'
import { corpusOf } from '../corpus/index.ts'
import { measure } from '../lib/stats.ts'
import { pickSearchers } from '../phases/pick-users.ts'
import { ingestThroughPort } from '../phases/port-ingest.ts'
import { IM_QUERIES, MESSAGE_QUERIES } from '../phases/queries.ts'
import { searchRun } from './loaded-services.ts'

const n = Number(process.argv[2] ?? 200_000)
const runs = Number(process.argv[3] ?? 300)
const budget = { warmup: 20, minRuns: runs, maxRuns: runs, maxMs: 0 }
const corpus = corpusOf(n)
const port = await ingestThroughPort(corpus)
const services = createServices({ store: port.store, backend: port.backend })
for (const searcher of await pickSearchers(corpus, port.visible, services)) {
  for (const query of [...MESSAGE_QUERIES, ...IM_QUERIES]) {
    const run = searchRun(services, searcher, query)
    const { total } = await run()
    const { p50, p99 } = await measure(run, budget)
    process.stdout.write(
      `${searcher.audience.padEnd(4)} ${query.kind.padEnd(14)} total ${String(total).padStart(7)}  p50 ${p50.toFixed(2).padStart(7)}  p99 ${p99.toFixed(2).padStart(7)} ms\n`,
    )
  }
}
const parts = port.backend.memoryUsage?.().filter((p) => p.index === 'messages') ?? []
process.stdout.write(
  `messages index after the queries, bytes a message: ${parts.map((p) => `${p.part} ${(p.bytes / n).toFixed(1)}`).join(', ')}\n`,
)
