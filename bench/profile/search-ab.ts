/**
 * @module An A/B of two code paths in one process, on an index loaded from a snapshot: the 10%
 * searcher's message query kinds, run in alternating rounds with `globalThis.searchVariant` set
 * to 'A' and to 'B' (a change under test reads it where it chooses its path; nothing committed
 * reads it), p50/p99 per kind and variant, of wall time and of CPU time a query (this process's,
 * every thread: steadier than wall time on a busy machine). Both variants see the same load.
 * `node --max-semi-space-size=64 --import ./loader/register.mjs bench/profile/search-ab.ts DIR 1000000 [rounds] [runs]`
 */
import { summarize } from '../lib/stats.ts'
import { pickSearcher } from '../phases/pick-users.ts'
import { chosenQueries, loadedServices, searchRun } from './loaded-services.ts'

const dir = process.argv[2] as string
const n = Number(process.argv[3] ?? 200_000)
const rounds = Number(process.argv[4] ?? 10)
const runs = Number(process.argv[5] ?? 20)
const { corpus, visible, store, services } = await loadedServices(dir, n)
const searcher = await pickSearcher(corpus, visible, '10%', 0.1, services)
const queries = chosenQueries()
const runOf = (query: (typeof queries)[number]) => searchRun(services, searcher, query)
const g = globalThis as { searchVariant?: string }
const samples = new Map<string, number[]>()
const cpuSamples = new Map<string, number[]>()
const totals = new Map<string, string>()
for (let round = -1; round < rounds; round++)
  for (const variant of round % 2 === 0 ? ['A', 'B'] : ['B', 'A'])
    for (const query of queries) {
      g.searchVariant = variant
      const run = runOf(query)
      const key = `${query.kind} ${variant}`
      const first = await run()
      const shown = JSON.stringify([first.total, first.hits, 'facets' in first ? first.facets : undefined])
      if (totals.has(query.kind) && totals.get(query.kind) !== shown)
        throw new Error(`${key}: results differ`)
      totals.set(query.kind, shown)
      const list = samples.get(key) ?? []
      const cpuList = cpuSamples.get(key) ?? []
      for (let i = 0; i < runs; i++) {
        const cpu = process.cpuUsage()
        const t = performance.now()
        await run()
        const wall = performance.now() - t
        const { user, system } = process.cpuUsage(cpu)
        // Round -1 warms up.
        if (round >= 0) {
          list.push(wall)
          cpuList.push((user + system) / 1000)
        }
      }
      samples.set(key, list)
      cpuSamples.set(key, cpuList)
    }
for (const query of queries)
  for (const variant of ['A', 'B']) {
    const { p50, p99 } = summarize(samples.get(`${query.kind} ${variant}`) ?? [])
    const cpu = summarize(cpuSamples.get(`${query.kind} ${variant}`) ?? [])
    process.stdout.write(
      `${query.kind.padEnd(14)} ${variant}  p50 ${p50.toFixed(2).padStart(7)}  p99 ${p99.toFixed(2).padStart(7)} ms  cpu p50 ${cpu.p50.toFixed(2).padStart(7)}  p99 ${cpu.p99.toFixed(2).padStart(7)} ms\n`,
    )
  }
await store.close()
