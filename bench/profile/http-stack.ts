/**
 * @module What our HTTP stack alone costs a search request, through real sockets: the whole app
 * (`createApp` + `serve`: request id, metrics, access log through the checkout's own stdout
 * destination, auth, zod, JSON, @hono/node-server)
 * over a message service that answers each search of the mix with the page the real one gave it
 * (captured once), so the engine costs nothing and the server's CPU a request is the stack's plus
 * node's HTTP. Each round also loads node's HTTP alone (http-floor.ts's server) and a bare Hono
 * app on the same adapter answering the same pages with nothing checked or logged, alternating in
 * this process so a busy neighbour disturbs all alike: stack − floor is ours and the framework's,
 * stack − bare Hono ours alone. With `--against=<checkout>` (a worktree of another commit, its
 * `node_modules` linked), that checkout's app is loaded in the same rounds too: a side-by-side of
 * two versions of the stack. With a directory as the fourth argument, the first counted stack
 * round is CPU-profiled (`stack-round.cpuprofile`): nearly every sample is the stack's.
 * `node --max-old-space-size=16384 --import ./loader/register.mjs bench/profile/http-stack.ts [messages] [rounds] [seconds] [profile dir] [--against=<checkout>]`
 */
import { writeFileSync } from 'node:fs'
import { createServer } from 'node:http'
import { Session } from 'node:inspector/promises'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { Hono } from 'hono'
import { pino } from 'pino'
import { serve, signToken } from '../../src/http/index.ts'
import { createLogger } from '../../src/logger.ts'
import type { Services } from '../../src/services/index.ts'
import { childReply } from '../lib/child-reply.ts'
import type { LoadConfig, LoadSummary } from '../lib/load-child.ts'
import { stdoutLike } from '../lib/stdout-like.ts'
import { PAGE } from '../phases/queries.ts'
import { searchMix } from '../phases/search-mix.ts'
import { JWT_SECRET } from '../phases/server.ts'
import { ingestedCorpus } from './ingested.ts'

const n = Number(process.argv[2] ?? 20_000)
const rounds = Number(process.argv[3] ?? 3)
const seconds = Number(process.argv[4] ?? 6)
const profileDir = process.argv[5]?.startsWith('--') ? undefined : process.argv[5]
/** `--against=<checkout>`: that checkout's app too, loaded in the same rounds (a side-by-side). */
const against = process.argv.find((a) => a.startsWith('--against='))?.slice('--against='.length)
/** The bench's HTTP phase's connections (`--connections`, default 32). */
const CONNECTIONS = 32
const CHILD = fileURLToPath(new URL('../lib/load-child.ts', import.meta.url))

const { corpus, port, services, searchers } = await ingestedCorpus(n)
const mix = searchMix(corpus, port.visible, searchers, 48)

// Each search of the mix → the page the real service answers it with, and its request.
const pages = new Map<string, unknown>()
const requests: LoadConfig['requests'] = []
const bodies = new Map<string, string>()
const bearerUser = new Map<string, string>()
for (const { userId, q } of mix.searches) {
  const page = await services.messages.search(userId, { q, limit: PAGE })
  pages.set(`${userId}\n${q}`, page)
  const token = await signToken({ secret: JWT_SECRET, sub: userId, scopes: ['search'], expiresIn: '2h' })
  const path = `/v1/search/messages?q=${encodeURIComponent(q)}&limit=${PAGE}`
  requests.push({ method: 'GET', path, headers: { authorization: `Bearer ${token}` } })
  bearerUser.set(`Bearer ${token}`, userId)
  bodies.set(path, JSON.stringify(page))
}
const replayed = {
  ...services,
  messages: {
    search: async (userId: string, query: { q?: string }) => pages.get(`${userId}\n${query.q}`),
  } as unknown as Services['messages'],
}

/** The bare servers' logger (they log nothing a request). */
const logger = createLogger({
  level: 'info',
  destination: pino.destination({ dest: '/dev/null', sync: true }),
})
/** The app over the replayed service, from this checkout's `src/` or from `dir`'s. */
async function stackServer(dir: string | undefined) {
  type HttpModule = typeof import('../../src/http/index.ts')
  type RoutesModule = typeof import('../../src/http/routes/search.routes.ts')
  type LoggerModule = typeof import('../../src/logger.ts')
  type DestinationModule = typeof import('../../src/log-destination.ts')
  const from = (path: string) => (dir ? pathToFileURL(join(dir, path)).href : `../../${path}`)
  const http = (await import(from('src/http/index.ts'))) as HttpModule
  const routes = (await import(from('src/http/routes/search.routes.ts'))) as RoutesModule
  const logging = (await import(from('src/logger.ts'))) as LoggerModule
  const destinations = (await import(from('src/log-destination.ts'))) as DestinationModule
  const appLogger = logging.createLogger({
    level: 'info',
    destination: destinations.streamDestination({ stream: stdoutLike() }),
  })
  const app = http.createApp({
    config: { rateLimitPerMinute: undefined },
    logger: appLogger,
    verifier: http.createAuthVerifier({ jwtSecret: JWT_SECRET }),
    routes: [routes.searchRoutes(replayed)],
  })
  const running = http.serve(app, { host: '127.0.0.1', port: 0 }, { logger: appLogger, handleSignals: false })
  return { url: (await running.url).replace(/\/$/, ''), close: () => running.close() }
}
const stack = await stackServer(undefined)
const other = against === undefined ? undefined : await stackServer(against)
// Hono and @hono/node-server alone: the same route and pages, nothing checked, nothing logged.
const bareHono = new Hono().get('/v1/search/messages', (c) =>
  c.json(pages.get(`${bearerUser.get(c.req.header('authorization') ?? '')}\n${c.req.query('q')}`) ?? {}),
)
const bareRunning = serve(bareHono, { host: '127.0.0.1', port: 0 }, { logger, handleSignals: false })
const bareUrl = (await bareRunning.url).replace(/\/$/, '')

const floor = createServer((request, response) => {
  const body = bodies.get(request.url ?? '') ?? '{}'
  response.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) })
  response.end(body)
})
await new Promise<void>((resolve) => floor.listen(0, '127.0.0.1', resolve))
const floorUrl = `http://127.0.0.1:${(floor.address() as AddressInfo).port}`

/** One load against `url`: requests/s, p99 and this process's CPU µs a request (all, and the kernel's). */
async function load(url: string, durationSeconds: number) {
  const config: LoadConfig = { url, connections: CONNECTIONS, durationSeconds, requests }
  const cpu = process.cpuUsage()
  const reply = (await childReply(CHILD, { name: 'the load generator', send: config })) as {
    summary?: LoadSummary
  }
  const used = process.cpuUsage(cpu)
  if (!reply.summary) throw new Error('load generator failed')
  const { requests: count, requestsPerSecond, latencyMs, errors, non2xx } = reply.summary
  if (errors + non2xx > 0) throw new Error(`${url}: ${errors} errors, ${non2xx} non-2xx`)
  return {
    requestsPerSecond,
    p99Ms: latencyMs.p99,
    cpuMicros: Math.round((used.user + used.system) / count),
    systemMicros: Math.round(used.system / count),
  }
}

await load(stack.url, 5) // warm-up, uncounted
await load(floorUrl, 5)
await load(bareUrl, 5)
if (other) await load(other.url, 5)
const session = profileDir ? new Session() : undefined
session?.connect()
await session?.post('Profiler.enable')
for (let round = 1; round <= rounds; round++) {
  if (round === 1) await session?.post('Profiler.start')
  const ours = await load(stack.url, seconds)
  if (round === 1 && session) {
    const { profile } = await session.post('Profiler.stop')
    writeFileSync(join(profileDir as string, 'stack-round.cpuprofile'), JSON.stringify(profile))
  }
  const bare = await load(floorUrl, seconds)
  const hono = await load(bareUrl, seconds)
  if (other) {
    const r = await load(other.url, seconds)
    process.stdout.write(
      `  ${against}: ${r.requestsPerSecond}/s p99 ${r.p99Ms} ms, ${r.cpuMicros} µs a request (system ${r.systemMicros})\n`,
    )
  }
  process.stdout.write(
    `round ${round}: stack ${ours.requestsPerSecond}/s p99 ${ours.p99Ms} ms, ${ours.cpuMicros} µs a request (system ${ours.systemMicros}); ` +
      `bare Hono ${hono.requestsPerSecond}/s, ${hono.cpuMicros} µs (system ${hono.systemMicros}); ` +
      `floor ${bare.requestsPerSecond}/s, ${bare.cpuMicros} µs (system ${bare.systemMicros}); ours and Hono's ${ours.cpuMicros - bare.cpuMicros} µs, ours alone ${ours.cpuMicros - hono.cpuMicros} µs\n`,
  )
}
session?.disconnect()
floor.close()
await stack.close()
await other?.close()
await bareRunning.close()
