/**
 * @module Searches over HTTP under concurrent load on loopback: autocannon in a child process
 * against the in-process server, for a bounded time, cycling through a fixed mix of users and
 * queries (both picked searchers plus users drawn at random among those who see anything).
 */
import { fileURLToPath } from 'node:url'
import { mulberry32, shuffle } from '../../fixtures/generator/prng.ts'
import type { Corpus } from '../corpus/index.ts'
import { childReply } from '../lib/child-reply.ts'
import type { LoadConfig, LoadRequest, LoadSummary } from '../lib/load-child.ts'
import type { Searcher } from './pick-users.ts'
import { MESSAGE_QUERIES, PAGE } from './queries.ts'
import type { BenchServer } from './server.ts'

export interface HttpLoad extends LoadSummary {
  connections: number
  distinctRequests: number
  mix: string
}

const CHILD = fileURLToPath(new URL('../lib/load-child.ts', import.meta.url))

/** The load's seeded random numbers: the mix's users, then the order of its requests. */
export const loadRandom = (corpus: Corpus) => mulberry32(corpus.config.seed ^ 0x5eed)

/** The load's searchers and words: both picked searchers, then `randomUsers` active users. */
export function loadMix(
  rng: () => number,
  corpus: Corpus,
  visible: Int32Array,
  searchers: readonly Searcher[],
  randomUsers: number,
): { users: string[]; words: string[] } {
  const active = corpus.users.filter((_, i) => (visible[i] ?? 0) > 0).map((u) => u.userId)
  return {
    users: [...new Set([...searchers.map((s) => s.userId), ...shuffle(rng, active).slice(0, randomUsers)])],
    words: MESSAGE_QUERIES.flatMap((q) => (q.q === undefined ? [] : [q.q])),
  }
}

export async function runHttpLoad(
  server: BenchServer,
  corpus: Corpus,
  visible: Int32Array,
  searchers: readonly Searcher[],
  options: { connections: number; durationSeconds: number; users: number },
): Promise<HttpLoad> {
  const rng = loadRandom(corpus)
  const { users, words } = loadMix(rng, corpus, visible, searchers, options.users)
  const requests: LoadRequest[] = []
  for (const userId of users) {
    const authorization = `Bearer ${await server.token(userId, ['search'])}`
    for (const q of words)
      requests.push({
        method: 'GET',
        path: `/v1/search/messages?q=${encodeURIComponent(q)}&limit=${PAGE}`,
        headers: { authorization },
      })
  }
  const config: LoadConfig = {
    url: server.url,
    connections: options.connections,
    durationSeconds: options.durationSeconds,
    requests: shuffle(rng, requests),
  }
  const reply = (await childReply(CHILD, { name: 'the load generator', send: config })) as {
    summary?: LoadSummary
    error?: string
  }
  if (!reply.summary) throw new Error(`load generator failed: ${reply.error}`)
  const summary = reply.summary
  return {
    ...summary,
    connections: options.connections,
    distinctRequests: requests.length,
    mix: `${users.length} users (the 1% and 10% searchers and random active users) × ${words.length} queries: ${words.join(', ')}`,
  }
}
