/**
 * @module The floor under the HTTP ÷ in-process ratio: what node's HTTP server alone costs a
 * request on this machine, with the bench's load generator (autocannon, a child process, the
 * bench's connections) and the bench's own response bodies. A bare `node:http` server answers
 * each request of the search mix with the body the real app gave it (captured once through
 * `app.fetch`), with no routing, auth, validation, logging or engine. Its CPU a request is what
 * any Node server pays before doing anything; set beside the engine's in-process cost a search
 * (`http.inProcess` of a bench result), it bounds the ratio a single-threaded Node server can
 * reach: engine ÷ (engine + floor).
 * `node --max-old-space-size=16384 --import ./loader/register.mjs bench/profile/http-floor.ts [messages] [rounds] [seconds]`
 */
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { fileURLToPath } from 'node:url'
import { pino } from 'pino'
import { buildApp } from '../../src/build-app.ts'
import { signToken } from '../../src/http/index.ts'
import { createLogger } from '../../src/logger.ts'
import { childReply } from '../lib/child-reply.ts'
import type { LoadConfig, LoadSummary } from '../lib/load-child.ts'
import { PAGE } from '../phases/queries.ts'
import { searchMix } from '../phases/search-mix.ts'
import { JWT_SECRET } from '../phases/server.ts'
import { ingestedCorpus } from './ingested.ts'

const n = Number(process.argv[2] ?? 20_000)
const rounds = Number(process.argv[3] ?? 3)
const seconds = Number(process.argv[4] ?? 6)
/** The bench's HTTP phase's connections (`--connections`, default 32). */
const CONNECTIONS = 32
const CHILD = fileURLToPath(new URL('../lib/load-child.ts', import.meta.url))

const { corpus, port, searchers } = await ingestedCorpus(n)
const mix = searchMix(corpus, port.visible, searchers, 48)
const { app } = buildApp({
  config: {
    auth: { jwtSecret: JWT_SECRET },
    rateLimitPerMinute: undefined,
    cursorSecret: 'bench-cursor-secret',
  },
  logger: createLogger({ level: 'info', destination: pino.destination({ dest: '/dev/null', sync: true }) }),
  store: port.store,
  backend: port.backend,
})

// Each request path of the mix → the body the real app answers it with.
const bodies = new Map<string, string>()
for (const { userId, q } of mix.searches) {
  const path = `/v1/search/messages?q=${encodeURIComponent(q)}&limit=${PAGE}`
  const token = await signToken({ secret: JWT_SECRET, sub: userId, scopes: ['search'], expiresIn: '2h' })
  const response = await app.fetch(
    new Request(`http://127.0.0.1${path}`, { headers: { authorization: `Bearer ${token}` } }),
  )
  if (response.status !== 200) throw new Error(`${path} answered ${response.status}`)
  bodies.set(path, await response.text())
}

const server = createServer((request, response) => {
  const body = bodies.get(request.url ?? '') ?? '{}'
  response.writeHead(200, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(body),
  })
  response.end(body)
})
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`

async function load(durationSeconds: number) {
  const config: LoadConfig = {
    url,
    connections: CONNECTIONS,
    durationSeconds,
    requests: [...bodies.keys()].map((path) => ({ method: 'GET', path, headers: {} })),
  }
  const cpu = process.cpuUsage()
  const reply = (await childReply(CHILD, { name: 'the load generator', send: config })) as {
    summary?: LoadSummary
  }
  const used = process.cpuUsage(cpu)
  if (!reply.summary) throw new Error('load generator failed')
  const { requests, requestsPerSecond, latencyMs, errors, non2xx } = reply.summary
  return {
    requestsPerSecond,
    p99Ms: latencyMs.p99,
    cpuMicrosPerRequest: Math.round((used.user + used.system) / requests),
    systemMicrosPerRequest: Math.round(used.system / requests),
    errors: errors + non2xx,
  }
}

await load(Math.min(5, seconds)) // warm-up, uncounted
const measured = []
for (let round = 0; round < rounds; round++) measured.push(await load(seconds))
server.close()
const bytes = [...bodies.values()].map((b) => Buffer.byteLength(b))
process.stdout.write(
  `${JSON.stringify(
    {
      schema: 'im-search-http-floor/1',
      messages: n,
      connections: CONNECTIONS,
      distinctRequests: bodies.size,
      meanBodyBytes: Math.round(bytes.reduce((a, b) => a + b, 0) / bytes.length),
      rounds: measured,
    },
    null,
    2,
  )}\n`,
)
