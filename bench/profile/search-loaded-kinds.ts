/**
 * @module `message-kinds.ts` on an index loaded from a snapshot: every message query kind (plain,
 * grouped, four facets) for the 1% and 10% searchers through the services, p50/p99 and total per
 * kind, without ingesting again. Takes a directory that `index-snapshot.ts N --keep DIR` left and
 * the same N; `KINDS=common-zh,conversations` runs only those (for `node --cpu-prof`), `AUDIENCE=10%`
 * only that searcher:
 * `node --max-semi-space-size=64 --import ./loader/register.mjs bench/profile/search-loaded-kinds.ts DIR 1000000 [runs]`
 */
import { measure } from '../lib/stats.ts'
import { chosenQueries, chosenSearchers, loadedServices, searchRun } from './loaded-services.ts'

const dir = process.argv[2] as string
const n = Number(process.argv[3] ?? 200_000)
const runs = Number(process.argv[4] ?? 300)
const budget = { warmup: 20, minRuns: runs, maxRuns: runs, maxMs: 0 }
const { corpus, visible, store, services } = await loadedServices(dir, n)
for (const searcher of await chosenSearchers(corpus, visible, services)) {
  for (const query of chosenQueries()) {
    const run = searchRun(services, searcher, query)
    const { total } = await run()
    const cpu = process.cpuUsage()
    const { p50, p99 } = await measure(run, budget)
    // CPU time a query (every thread, GC helpers too): steadier than wall time on a busy machine.
    const { user, system } = process.cpuUsage(cpu)
    const cpuMs = (user + system) / 1000 / (budget.warmup + runs)
    process.stdout.write(
      `${searcher.audience.padEnd(4)} ${query.kind.padEnd(14)} total ${String(total).padStart(7)}  p50 ${p50.toFixed(2).padStart(7)}  p99 ${p99.toFixed(2).padStart(7)} ms  cpu ${cpuMs.toFixed(2).padStart(7)} ms\n`,
    )
  }
}
await store.close()
