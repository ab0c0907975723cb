/**
 * @module The search mix through the services alone, no HTTP: `connections` callers in this
 * process, each awaiting one search after another, for a bounded time. Its throughput is what the
 * HTTP load is measured against (issue 15: HTTP keeps at least 70% of it on the same cores).
 */
import type { Services } from '../../src/services/index.ts'
import { percentile } from '../lib/stats.ts'
import { PAGE } from './queries.ts'
import type { SearchMix } from './search-mix.ts'

export interface InProcessLoad {
  searches: number
  durationSeconds: number
  searchesPerSecond: number
  latencyMs: { p50: number; p90: number; p99: number; max: number; mean: number }
}

export async function runInProcessLoad(
  services: Services,
  mix: SearchMix,
  options: { connections: number; durationSeconds: number },
): Promise<InProcessLoad> {
  const samples: number[] = []
  let next = 0
  const began = performance.now()
  const until = began + options.durationSeconds * 1000
  const caller = async () => {
    while (performance.now() < until) {
      const search = mix.searches[next++ % mix.searches.length] as SearchMix['searches'][number]
      const t = performance.now()
      await services.messages.search(search.userId, { q: search.q, limit: PAGE })
      samples.push(performance.now() - t)
    }
  }
  await Promise.all(Array.from({ length: options.connections }, caller))
  const seconds = (performance.now() - began) / 1000
  const sorted = samples.sort((a, b) => a - b)
  const round = (x: number) => Math.round(x * 100) / 100
  return {
    searches: samples.length,
    durationSeconds: round(seconds),
    searchesPerSecond: Math.round(samples.length / seconds),
    latencyMs: {
      p50: round(percentile(sorted, 50)),
      p90: round(percentile(sorted, 90)),
      p99: round(percentile(sorted, 99)),
      max: round(sorted.at(-1) ?? Number.NaN),
      mean: round(sorted.reduce((a, b) => a + b, 0) / Math.max(1, sorted.length)),
    },
  }
}
