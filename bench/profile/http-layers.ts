/**
 * @module What each layer of a search request costs, one request at a time over the bench's load
 * mix on N messages: the service call alone, then the whole Hono app through `app.fetch` (auth,
 * validation, middleware, logging, metrics, JSON) without a socket. The difference is the app's
 * share of the HTTP overhead; what the HTTP load loses beyond it is node's HTTP server, the
 * sockets and the load generator. With a directory as the third argument, the `app.fetch` rounds
 * are CPU-profiled (`app-fetch.cpuprofile`).
 * `node --max-old-space-size=16384 --import ./loader/register.mjs bench/profile/http-layers.ts 200000 [seconds] [profile dir]`
 */
import { writeFileSync } from 'node:fs'
import { Session } from 'node:inspector/promises'
import { join } from 'node:path'
import { pino } from 'pino'
import { buildApp } from '../../src/build-app.ts'
import { signToken } from '../../src/http/index.ts'
import { createLogger } from '../../src/logger.ts'
import { PAGE } from '../phases/queries.ts'
import { searchMix } from '../phases/search-mix.ts'
import { JWT_SECRET } from '../phases/server.ts'
import { ingestedCorpus } from './ingested.ts'

const n = Number(process.argv[2] ?? 200_000)
const seconds = Number(process.argv[3] ?? 5)
const profileDir = process.argv[4]
const { corpus, port, services, searchers } = await ingestedCorpus(n)
const mix = searchMix(corpus, port.visible, searchers, 48)
const logger = createLogger({
  level: 'info',
  destination: pino.destination({ dest: '/dev/null', sync: false }),
})
const { app } = buildApp({
  config: {
    auth: { jwtSecret: JWT_SECRET },
    rateLimitPerMinute: undefined,
    cursorSecret: 'bench-cursor-secret',
  },
  logger,
  store: port.store,
  backend: port.backend,
})
const authorization = new Map<string, string>()
for (const userId of mix.users)
  authorization.set(
    userId,
    `Bearer ${await signToken({ secret: JWT_SECRET, sub: userId, scopes: ['search'], expiresIn: '2h' })}`,
  )

/** Mean µs per call of `one` over the mix, for `seconds`. */
async function meanMicros(one: (search: (typeof mix.searches)[number]) => Promise<unknown>) {
  let calls = 0
  const until = performance.now() + seconds * 1000
  const began = performance.now()
  while (performance.now() < until)
    await one(mix.searches[calls++ % mix.searches.length] as (typeof mix.searches)[number])
  return Math.round(((performance.now() - began) * 1000) / calls)
}

const service = (s: (typeof mix.searches)[number]) =>
  services.messages.search(s.userId, { q: s.q, limit: PAGE })
const fetched = async (s: (typeof mix.searches)[number]) => {
  const url = `http://127.0.0.1/v1/search/messages?q=${encodeURIComponent(s.q)}&limit=${PAGE}`
  const response = await app.fetch(
    new Request(url, { headers: { authorization: authorization.get(s.userId) as string } }),
  )
  if (response.status !== 200) throw new Error(`status ${response.status}`)
  return response.text()
}
await meanMicros(service)
await meanMicros(fetched)
const session = profileDir ? new Session() : undefined
session?.connect()
await session?.post('Profiler.enable')
for (let round = 1; round <= 3; round++) {
  const serviceUs = await meanMicros(service)
  if (round === 1) await session?.post('Profiler.start')
  const appUs = await meanMicros(fetched)
  if (round === 1 && session) {
    const { profile } = await session.post('Profiler.stop')
    writeFileSync(join(profileDir as string, 'app-fetch.cpuprofile'), JSON.stringify(profile))
  }
  process.stdout.write(
    `round ${round}: service ${serviceUs} µs, app.fetch ${appUs} µs (+${appUs - serviceUs} µs)\n`,
  )
}
session?.disconnect()
