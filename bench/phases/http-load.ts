/**
 * @module Searches over HTTP under concurrent load on loopback: autocannon in a child process
 * against the in-process server, for a bounded time, cycling through the search mix
 * (`search-mix.ts`). The first load against a server is preceded by an uncounted warm-up load:
 * a fresh server's first seconds run its HTTP path (node's parser, Hono, zod, pino) before the
 * JIT has compiled it, while the in-process load it is compared with runs services already warm
 * from the latency phase.
 */
import { fileURLToPath } from 'node:url'
import { childReply } from '../lib/child-reply.ts'
import type { LoadConfig, LoadRequest, LoadSummary } from '../lib/load-child.ts'
import type { InProcessLoad } from './in-process-load.ts'
import { PAGE } from './queries.ts'
import type { SearchMix } from './search-mix.ts'
import type { BenchServer } from './server.ts'

export interface HttpLoad extends LoadSummary {
  connections: number
  /**
   * The thread that served HTTP (`IMSEARCH_HTTP_THREAD`); absent from results saved before
   * 2026-12-07 evening, which were served from the main thread.
   */
  thread?: BenchServer['thread']
  distinctRequests: number
  mix: string
  /**
   * The uncounted load that ran first, when this was the server's first load (absent from
   * results saved before 2026-12-06 morning, whose single load started cold).
   */
  warmup?: LoadSummary
  /**
   * The same mix through the services in this process, as many callers at a time, for as long
   * (absent from results saved before 2026-12-05).
   */
  inProcess?: InProcessLoad
  /** HTTP requests/s ÷ in-process searches/s: what share of the engine's throughput HTTP keeps. */
  ofInProcess?: number
}

/**
 * Seconds of the warm-up load (at most the measured load's own duration). A fresh server ran its
 * first 1,700–2,300 requests at 2–3× the CPU a request of the later ones: 2 s of the load on a
 * quiet machine, 4 s on a busy one (bench README, 2026-12-06 morning).
 */
export const WARMUP_SECONDS = 5

const CHILD = fileURLToPath(new URL('../lib/load-child.ts', import.meta.url))
/** Servers that have had their warm-up. */
const warmed = new WeakSet<BenchServer>()

async function generate(config: LoadConfig): Promise<LoadSummary> {
  const reply = (await childReply(CHILD, { name: 'the load generator', send: config })) as {
    summary?: LoadSummary
    error?: string
  }
  if (!reply.summary) throw new Error(`load generator failed: ${reply.error}`)
  return reply.summary
}

/**
 * The mix against `server` for `durationSeconds`; the server's first load is preceded by a
 * warm-up of `warmupSeconds` (default {@link WARMUP_SECONDS}; 0 measures the cold server).
 */
export async function runHttpLoad(
  server: BenchServer,
  mix: SearchMix,
  options: { connections: number; durationSeconds: number; warmupSeconds?: number },
): Promise<HttpLoad> {
  const authorization = new Map<string, string>()
  for (const userId of mix.users)
    authorization.set(userId, `Bearer ${await server.token(userId, ['search'])}`)
  const requests: LoadRequest[] = mix.searches.map(({ userId, q }) => ({
    method: 'GET',
    path: `/v1/search/messages?q=${encodeURIComponent(q)}&limit=${PAGE}`,
    headers: { authorization: authorization.get(userId) as string },
  }))
  const config: LoadConfig = {
    url: server.url,
    connections: options.connections,
    durationSeconds: options.durationSeconds,
    requests,
  }
  const warmupSeconds = Math.min(options.warmupSeconds ?? WARMUP_SECONDS, options.durationSeconds)
  const warmup =
    warmed.has(server) || warmupSeconds <= 0
      ? undefined
      : await generate({ ...config, durationSeconds: warmupSeconds })
  warmed.add(server)
  const summary = await generate(config)
  return {
    ...summary,
    connections: options.connections,
    thread: server.thread,
    distinctRequests: requests.length,
    mix: mix.description,
    ...(warmup ? { warmup } : {}),
  }
}
