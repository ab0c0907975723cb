/**
 * @module Searches over HTTP under concurrent load on loopback: autocannon in a child process
 * against the in-process server, for a bounded time, cycling through the search mix
 * (`search-mix.ts`).
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
  distinctRequests: number
  mix: string
  /**
   * The same mix through the services in this process, as many callers at a time, for as long
   * (absent from results saved before 2026-12-05).
   */
  inProcess?: InProcessLoad
  /** HTTP requests/s ÷ in-process searches/s: what share of the engine's throughput HTTP keeps. */
  ofInProcess?: number
}

const CHILD = fileURLToPath(new URL('../lib/load-child.ts', import.meta.url))

export async function runHttpLoad(
  server: BenchServer,
  mix: SearchMix,
  options: { connections: number; durationSeconds: number },
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
  const reply = (await childReply(CHILD, { name: 'the load generator', send: config })) as {
    summary?: LoadSummary
    error?: string
  }
  if (!reply.summary) throw new Error(`load generator failed: ${reply.error}`)
  return {
    ...reply.summary,
    connections: options.connections,
    distinctRequests: requests.length,
    mix: mix.description,
  }
}
