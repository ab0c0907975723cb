/**
 * @module Why the bench's single HTTP phase measured less than http-vs-in-process.ts: the bench's
 * order replayed on N messages (ingest, the latency phase, then at once a fresh server and one
 * HTTP load without warm-up, as the bench ran it until 2026-12-06), followed by more loads on the
 * same server — again at once, after the in-process load, after forced collections — each with
 * this process's CPU µs per request and the garbage collector's pauses during it; the first load
 * also second by second (requests the server received, CPU µs each), and a load as the bench runs
 * it now, on a second fresh server warmed up first (its CPU includes the warm-up's). A first load slower than
 * the later ones with the same CPU per request points at the load's surroundings; more CPU or GC
 * per request, at the process. Run it with the bench's flags:
 * `node --expose-gc --max-old-space-size=16384 --max-semi-space-size=64 --import ./loader/register.mjs bench/profile/http-bench-phase.ts 200000 [seconds] [--no-latency]`
 */
import { type PerformanceEntry, PerformanceObserver } from 'node:perf_hooks'
import { settle } from '../lib/memory.ts'
import type { Budget } from '../lib/stats.ts'
import { runHttpLoad } from '../phases/http-load.ts'
import { runInProcessLoad } from '../phases/in-process-load.ts'
import { measureDiscovery, measureImQuery, measureMessageQuery } from '../phases/ours.ts'
import { IM_QUERIES, MESSAGE_QUERIES } from '../phases/queries.ts'
import { searchMix } from '../phases/search-mix.ts'
import { startServer } from '../phases/server.ts'
import { ingestedCorpus } from './ingested.ts'

const n = Number(process.argv[2] ?? 200_000)
const durationSeconds = Number(process.argv[3] ?? 10)
const withLatency = !process.argv.includes('--no-latency')
const { corpus, port, services, searchers } = await ingestedCorpus(n)
if (withLatency) {
  // The bench's own budget for its latency phase (bench.ts, N ≥ 10,000).
  const budget: Budget = { warmup: 20, minRuns: 100, maxRuns: 3000, maxMs: 2000 }
  const began = performance.now()
  for (const searcher of searchers) {
    for (const query of MESSAGE_QUERIES)
      await measureMessageQuery(services, port.backend, query, searcher, budget)
    for (const query of IM_QUERIES) await measureImQuery(services, port.backend, query, searcher, budget)
  }
  await measureDiscovery(services, searchers[0]?.userId as string, budget)
  process.stdout.write(`latency phase: ${((performance.now() - began) / 1000).toFixed(0)} s\n`)
}

let gcMs = 0
let gcCount = 0
const addGc = (entries: readonly PerformanceEntry[]) => {
  for (const entry of entries) {
    gcMs += entry.duration
    gcCount++
  }
}
new PerformanceObserver((list) => addGc(list.getEntries())).observe({ entryTypes: ['gc'] })
/**
 * GC entries reach the observer some time after the pause, in a task of their own (not yet in
 * `takeRecords()`): without this wait, the in-process load's and `settle()`'s pauses were counted
 * in the HTTP load after them.
 */
const collectGc = () => new Promise((resolve) => setTimeout(resolve, 100))

const mix = searchMix(corpus, port.visible, searchers, 48)
const load = { connections: 32, durationSeconds }
// In this thread: its requests are counted as its server receives them.
const server = await startServer(port.store, port.backend, { thread: 'main' })
if (!('server' in server.running)) throw new Error('a server in this thread has its node server')
let received = 0
server.running.server.on('request', () => received++)
/** While `run` runs, a line a second: requests the server received, its CPU µs each. */
async function bySecond<T>(run: () => Promise<T>): Promise<T> {
  const series: string[] = []
  let [count, cpu] = [received, process.cpuUsage()]
  const timer = setInterval(() => {
    const { user, system } = process.cpuUsage(cpu)
    series.push(`${received - count}/s ${Math.round((user + system) / Math.max(1, received - count))} µs`)
    ;[count, cpu] = [received, process.cpuUsage()]
  }, 1000)
  try {
    return await run()
  } finally {
    clearInterval(timer)
    process.stdout.write(`  second by second: ${series.join(', ')}\n`)
  }
}

async function measured(
  label: string,
  run: () => Promise<{ count: number; perSecond: number; p99: number }>,
) {
  await collectGc()
  const [gcMsBefore, gcCountBefore] = [gcMs, gcCount]
  const before = process.cpuUsage()
  const heapBefore = process.memoryUsage().heapUsed
  const { count, perSecond, p99 } = await run()
  const { user, system } = process.cpuUsage(before)
  await collectGc()
  const cpu = Math.round((user + system) / Math.max(1, count))
  const gc = ((gcMs - gcMsBefore) / Math.max(1, count)) * 1000
  process.stdout.write(
    `${label.padEnd(34)} ${String(perSecond).padStart(6)}/s p99 ${p99} ms; CPU ${cpu} µs a call; GC ${gc.toFixed(1)} µs a call (${gcCount - gcCountBefore} pauses, ${(gcMs - gcMsBefore).toFixed(0)} ms); heap at start ${(heapBefore / 2 ** 20).toFixed(0)} MiB\n`,
  )
}
/** A load against `target`; `warmupSeconds` undefined: as the bench runs it now (a fresh server warms up). */
const http = (label: string, warmupSeconds?: number, target = server) =>
  measured(label, async () => {
    const r = await runHttpLoad(target, mix, {
      ...load,
      ...(warmupSeconds === undefined ? {} : { warmupSeconds }),
    })
    return { count: r.requests, perSecond: r.requestsPerSecond, p99: r.latencyMs.p99 }
  })
const local = (label: string) =>
  measured(label, async () => {
    const r = await runInProcessLoad(services, mix, load)
    return { count: r.searches, perSecond: r.searchesPerSecond, p99: r.latencyMs.p99 }
  })

await bySecond(() => http('HTTP 1 (fresh server, no warm-up)', 0))
// The bench's load now: another fresh server, warmed up first (its CPU counts the warm-up too).
const second = await startServer(port.store, port.backend, { thread: 'main' })
await http('HTTP 1b (fresh server, warm-up)', undefined, second)
await second.close()
await http('HTTP 2 (at once, first server)')
await local('in-process 1')
await http('HTTP 3 (after in-process)')
settle()
await http('HTTP 4 (after forced collections)')
await local('in-process 2')
await server.close()
