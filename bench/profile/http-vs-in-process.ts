/**
 * @module HTTP against the services alone, side by side in one process and one session: the
 * bench's load mix on N messages, in rounds that alternate the in-process load and the HTTP load
 * (so a busy neighbour disturbs both alike), then the median and spread of each and their ratio.
 * With a directory as the fourth argument, the server's thread is CPU-profiled during the first
 * counted HTTP round (`http-round.cpuprofile`; read it with summarize-profile.ts).
 * Each round also reports this process's CPU time per request (user + system, all its threads:
 * for HTTP the server, without the load generator in its child): on a busy machine throughput
 * swings with the neighbours, CPU time per request much less, and their ratio is what HTTP would
 * keep of the in-process throughput with a core of its own.
 * `node --max-old-space-size=16384 --import ./loader/register.mjs bench/profile/http-vs-in-process.ts 200000 [rounds] [seconds] [profile dir]`
 */
import { writeFileSync } from 'node:fs'
import { Session } from 'node:inspector/promises'
import { join } from 'node:path'
import { runHttpLoad } from '../phases/http-load.ts'
import { runInProcessLoad } from '../phases/in-process-load.ts'
import { searchMix } from '../phases/search-mix.ts'
import { startServer } from '../phases/server.ts'
import { ingestedCorpus } from './ingested.ts'

const n = Number(process.argv[2] ?? 200_000)
const rounds = Number(process.argv[3] ?? 5)
const durationSeconds = Number(process.argv[4] ?? 8)
const profileDir = process.argv[5]
const { corpus, port, services, searchers } = await ingestedCorpus(n)
const mix = searchMix(corpus, port.visible, searchers, 48)
const load = { connections: 32, durationSeconds }
const server = await startServer(port.store, port.backend)
const session = profileDir ? new Session() : undefined
session?.connect()
await session?.post('Profiler.enable')

// Round 0 warms both paths up and is not counted.
const http: number[] = []
const inProcess: number[] = []
const httpCpu: number[] = []
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
  if (round === 1) await session?.post('Profiler.start')
  const {
    result: remote,
    cpuMicros: remoteCpu,
    systemMicros: remoteSystem,
  } = await withCpu(
    // Round 0 is the warm-up: no extra one inside it, so its CPU a request is its own.
    () => runHttpLoad(server, mix, { ...load, warmupSeconds: 0 }),
    (r) => r.requests,
  )
  if (round === 1 && session) {
    const { profile } = await session.post('Profiler.stop')
    writeFileSync(join(profileDir as string, 'http-round.cpuprofile'), JSON.stringify(profile))
  }
  const line = `round ${round}: in-process ${local.searchesPerSecond}/s p99 ${local.latencyMs.p99} ms; HTTP ${remote.requestsPerSecond}/s p99 ${remote.latencyMs.p99} ms, non-2xx ${remote.non2xx}, errors ${remote.errors}; ratio ${(remote.requestsPerSecond / local.searchesPerSecond).toFixed(3)}; CPU ${localCpu} µs a search (system ${localSystem}), ${remoteCpu} µs a request (system ${remoteSystem})`
  process.stdout.write(`${line}${round === 0 ? ' (warm-up)' : ''}\n`)
  if (round === 0) continue
  http.push(remote.requestsPerSecond)
  inProcess.push(local.searchesPerSecond)
  httpCpu.push(remoteCpu)
  inProcessCpu.push(localCpu)
}
session?.disconnect()
await server.close()

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number
const spread = (xs: number[]) => `${Math.min(...xs)}–${Math.max(...xs)}`
process.stdout.write(
  `${JSON.stringify({ messages: n, rounds, durationSeconds, connections: load.connections, http: { median: median(http), spread: spread(http) }, inProcess: { median: median(inProcess), spread: spread(inProcess) }, ratio: Math.round((median(http) / median(inProcess)) * 1000) / 1000, cpuMicros: { http: { median: median(httpCpu), spread: spread(httpCpu) }, inProcess: { median: median(inProcessCpu), spread: spread(inProcessCpu) }, ratio: Math.round((median(inProcessCpu) / median(httpCpu)) * 1000) / 1000 } })}\n`,
)
