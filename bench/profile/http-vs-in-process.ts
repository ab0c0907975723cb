/**
 * @module HTTP against the services alone, side by side in one process and one session: the
 * bench's load mix on N messages, in rounds that alternate the in-process load and the HTTP load
 * (so a busy neighbour disturbs both alike), then the median and spread of each and their ratio.
 * With a directory as the fourth argument, the server's thread is CPU-profiled during the first
 * counted HTTP round (`http-round.cpuprofile`; read it with summarize-profile.ts).
 * `node --max-old-space-size=16384 --import tsx bench/profile/http-vs-in-process.ts 200000 [rounds] [seconds] [profile dir]`
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
for (let round = 0; round <= rounds; round++) {
  const local = await runInProcessLoad(services, mix, load)
  if (round === 1) await session?.post('Profiler.start')
  const remote = await runHttpLoad(server, mix, load)
  if (round === 1 && session) {
    const { profile } = await session.post('Profiler.stop')
    writeFileSync(join(profileDir as string, 'http-round.cpuprofile'), JSON.stringify(profile))
  }
  const line = `round ${round}: in-process ${local.searchesPerSecond}/s p99 ${local.latencyMs.p99} ms; HTTP ${remote.requestsPerSecond}/s p99 ${remote.latencyMs.p99} ms, non-2xx ${remote.non2xx}, errors ${remote.errors}; ratio ${(remote.requestsPerSecond / local.searchesPerSecond).toFixed(3)}`
  process.stdout.write(`${line}${round === 0 ? ' (warm-up)' : ''}\n`)
  if (round === 0) continue
  http.push(remote.requestsPerSecond)
  inProcess.push(local.searchesPerSecond)
}
session?.disconnect()
await server.close()

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number
const spread = (xs: number[]) => `${Math.min(...xs)}–${Math.max(...xs)}`
process.stdout.write(
  `${JSON.stringify({ messages: n, rounds, durationSeconds, connections: load.connections, http: { median: median(http), spread: spread(http) }, inProcess: { median: median(inProcess), spread: spread(inProcess) }, ratio: Math.round((median(http) / median(inProcess)) * 1000) / 1000 })}\n`,
)
