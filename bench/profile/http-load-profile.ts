/**
 * @module The server's thread under the HTTP load, for a CPU profile of just that: the bench's
 * in-process server on N messages, one warm-up round of the load, then a round while the
 * inspector's profiler records; writes `http-load.cpuprofile` to the directory given.
 * `node --max-old-space-size=16384 --import ./loader/register.mjs bench/profile/http-load-profile.ts 1000000 /tmp/prof`
 * then `node --import ./loader/register.mjs bench/profile/summarize-profile.ts /tmp/prof/http-load.cpuprofile`
 */
import { writeFileSync } from 'node:fs'
import { Session } from 'node:inspector/promises'
import { join } from 'node:path'
import { runHttpLoad } from '../phases/http-load.ts'
import { searchMix } from '../phases/search-mix.ts'
import { startServer } from '../phases/server.ts'
import { ingestedCorpus } from './ingested.ts'

const n = Number(process.argv[2] ?? 200_000)
const outDir = process.argv[3] ?? '.'
const { corpus, port, searchers } = await ingestedCorpus(n)
const server = await startServer(port.store, port.backend)
const session = new Session()
session.connect()
await session.post('Profiler.enable')
const mix = searchMix(corpus, port.visible, searchers, 48)
const load = { connections: 32, durationSeconds: 10 }
for (const round of ['warm-up', 'profiled']) {
  if (round === 'profiled') await session.post('Profiler.start')
  // The warm-up round is this script's own.
  const http = await runHttpLoad(server, mix, { ...load, warmupSeconds: 0 })
  process.stdout.write(`${round}: ${http.requestsPerSecond} req/s, p99 ${http.latencyMs.p99} ms\n`)
}
const { profile } = await session.post('Profiler.stop')
writeFileSync(join(outDir, 'http-load.cpuprofile'), JSON.stringify(profile))
await server.close()
session.disconnect()
