/**
 * @module HTTP against the services alone, side by side in one process and one session: the
 * bench's load mix on N messages, in rounds that alternate the in-process load and the HTTP load
 * (so a busy neighbour disturbs both alike), then the median and spread of each and their ratio.
 * With a directory as the fourth argument, the server's thread is CPU-profiled during the first
 * counted HTTP round (`http-round.cpuprofile`; read it with summarize-profile.ts).
 * Each round also reports this process's CPU time per request (user + system, all its threads:
 * for HTTP the server, without the load generator in its child): on a busy machine throughput
 * swings with the neighbours, CPU time per request much less, and their ratio is what HTTP would
 * keep of the in-process throughput with a core of its own. With `--threads=worker,main` each round
 * runs one HTTP load per server, served from the HTTP thread and from this thread (default: the
 * HTTP thread only, as `npm start` serves); CPU then counts every thread of this process.
 * `node --max-old-space-size=16384 --import ./loader/register.mjs bench/profile/http-vs-in-process.ts 200000 [rounds] [seconds] [profile dir] [--threads=worker,main]`
 */
import { writeFileSync } from 'node:fs'
import { Session } from 'node:inspector/promises'
import { join } from 'node:path'
import type { Config } from '../../src/config.ts'
import { runHttpLoad } from '../phases/http-load.ts'
import { runInProcessLoad } from '../phases/in-process-load.ts'
import { searchMix } from '../phases/search-mix.ts'
import { startServer } from '../phases/server.ts'
import { ingestedCorpus } from './ingested.ts'

const threadsFlag = process.argv.find((arg) => arg.startsWith('--threads='))
const positional = process.argv.slice(2).filter((arg) => !arg.startsWith('--'))
const n = Number(positional[0] ?? 200_000)
const rounds = Number(positional[1] ?? 5)
const durationSeconds = Number(positional[2] ?? 8)
const profileDir = positional[3]
const threads = (threadsFlag?.slice('--threads='.length) ?? 'worker').split(',') as Config['httpThread'][]
const { corpus, port, services, searchers } = await ingestedCorpus(n)
const mix = searchMix(corpus, port.visible, searchers, 48)
const load = { connections: 32, durationSeconds }
const servers = await Promise.all(threads.map((thread) => startServer(port.store, port.backend, { thread })))
const session = profileDir ? new Session() : undefined
session?.connect()
await session?.post('Profiler.enable')

// Round 0 warms every path up and is not counted.
const http = threads.map(() => [] as number[])
const httpCpu = threads.map(() => [] as number[])
const inProcess: number[] = []
const inProcessCpu: number[] = []
/** `run`'s result and this process's CPU µs per request it counted: all, and the kernel's share. */
async function withCpu<T>(run: () => Promise<T>, count: (result: T) => number) {
  const before = process.cpuUsage()
  const result = await run()
  const { user, system } = process.cpuUsage(before)
  const per = (micros: number) => Math.round(micros / Math.max(1, count(result)))
  return { result, cpuMicros: per(user + system), systemMicros: per(system) }
}
for (let round = 0; round <= rounds; round++) {
  const {
    result: local,
    cpuMicros: localCpu,
    systemMicros: localSystem,
  } = await withCpu(
    () => runInProcessLoad(services, mix, load),
    (r) => r.searches,
  )
  const parts = [
    `in-process ${local.searchesPerSecond}/s p99 ${local.latencyMs.p99} ms, CPU ${localCpu} µs a search (system ${localSystem})`,
  ]
  for (const [i, server] of servers.entries()) {
    if (round === 1 && i === 0) await session?.post('Profiler.start')
    const {
      result: remote,
      cpuMicros: remoteCpu,
      systemMicros: remoteSystem,
    } = await withCpu(
      // Round 0 is the warm-up: no extra one inside it, so its CPU a request is its own.
      () => runHttpLoad(server, mix, { ...load, warmupSeconds: 0 }),
      (r) => r.requests,
    )
    if (round === 1 && i === 0 && session) {
      const { profile } = await session.post('Profiler.stop')
      writeFileSync(join(profileDir as string, 'http-round.cpuprofile'), JSON.stringify(profile))
    }
    parts.push(
      `HTTP (${threads[i]} thread) ${remote.requestsPerSecond}/s p99 ${remote.latencyMs.p99} ms, non-2xx ${remote.non2xx}, errors ${remote.errors}, ratio ${(remote.requestsPerSecond / local.searchesPerSecond).toFixed(3)}, CPU ${remoteCpu} µs a request (system ${remoteSystem})`,
    )
    if (round > 0) {
      http[i]?.push(remote.requestsPerSecond)
      httpCpu[i]?.push(remoteCpu)
    }
  }
  process.stdout.write(`round ${round}: ${parts.join('; ')}${round === 0 ? ' (warm-up)' : ''}\n`)
  if (round === 0) continue
  inProcess.push(local.searchesPerSecond)
  inProcessCpu.push(localCpu)
}
session?.disconnect()
await Promise.all(servers.map((server) => server.close()))

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number
const spread = (xs: number[]) => `${Math.min(...xs)}–${Math.max(...xs)}`
const byThread = Object.fromEntries(
  threads.map((thread, i) => {
    const rates = http[i] ?? []
    const cpu = httpCpu[i] ?? []
    return [
      thread,
      {
        http: { median: median(rates), spread: spread(rates) },
        ratio: Math.round((median(rates) / median(inProcess)) * 1000) / 1000,
        cpuMicros: { median: median(cpu), spread: spread(cpu) },
      },
    ]
  }),
)
process.stdout.write(
  `${JSON.stringify({ messages: n, rounds, durationSeconds, connections: load.connections, inProcess: { median: median(inProcess), spread: spread(inProcess), cpuMicros: { median: median(inProcessCpu), spread: spread(inProcessCpu) } }, byThread })}\n`,
)
