/**
 * @module The load run: start the server, then rounds of autocannon against it with the mix, each
 * followed by a memory sample taken after forced collections in the server. A round's figures:
 * requests/s, latency percentiles, non-2xx, errors and timeouts, per-kind tallies, messages stored.
 */
import autocannon from 'autocannon'
import type { Scope } from '../../src/http/context.ts'
import { signToken } from '../../src/http/dev-tokens.ts'
import { JWT_SECRET } from '../phases/server.ts'
import { judgeMemory, type MemoryVerdict } from './memory-rule.ts'
import { buildMix, type Kind, type KindTally } from './mix.ts'
import type { ServerMemory } from './protocol.ts'
import { startLoadServer } from './server.ts'

export interface LoadOptions {
  /** Seconds per round. */
  roundSeconds: number
  rounds: number
  connections: number
  fixturesDir: string
  /** Progress lines (stderr in the CLI). */
  log?: (line: string) => void
}

export interface RoundResult {
  round: number
  seconds: number
  requests: number
  requestsPerSecond: number
  latencyMs: { p50: number; p90: number; p99: number; max: number; mean: number }
  non2xx: number
  errors: number
  timeouts: number
  byKind: Record<Kind, KindTally>
  messagesStored: number
  memory: ServerMemory
}

export interface LoadReport {
  options: Omit<LoadOptions, 'log'>
  mix: string
  server: { startMs: number; fixtures: Record<string, number> }
  before: ServerMemory
  rounds: RoundResult[]
  memory: MemoryVerdict
  /** No error, timeout, non-2xx or failed batch item in any round. */
  zeroErrors: boolean
  ok: boolean
}

const token = (sub: string, scopes: readonly Scope[]) =>
  signToken({ secret: JWT_SECRET, sub, scopes, expiresIn: '6h' })

function cannon(
  url: string,
  options: LoadOptions,
  requests: autocannon.Request[],
): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    autocannon(
      { url, connections: options.connections, duration: options.roundSeconds, requests },
      (error, result) => (error ? reject(error) : resolve(result)),
    )
  })
}

export async function runLoad(options: LoadOptions): Promise<LoadReport> {
  const log = options.log ?? (() => {})
  const server = await startLoadServer({ fixturesDir: options.fixturesDir })
  try {
    log(`server ready in ${server.startMs} ms at ${server.url}`)
    const mix = await buildMix({ fixturesDir: options.fixturesDir, token })
    const before = await server.memory()
    const rounds: RoundResult[] = []
    for (let round = 1; round <= options.rounds; round++) {
      mix.reset()
      const r = await cannon(server.url, options, mix.requests)
      const memory = await server.memory()
      const result: RoundResult = {
        round,
        seconds: r.duration,
        requests: r.requests.total,
        requestsPerSecond: Math.round(r.requests.total / r.duration),
        latencyMs: {
          p50: r.latency.p50,
          p90: r.latency.p90,
          p99: r.latency.p99,
          max: r.latency.max,
          mean: r.latency.average,
        },
        non2xx: r.non2xx,
        errors: r.errors,
        timeouts: r.timeouts,
        byKind: structuredClone(mix.tally),
        messagesStored: mix.stored(),
        memory,
      }
      rounds.push(result)
      const mib = (n: number) => (n / 2 ** 20).toFixed(1)
      log(
        `round ${round}/${options.rounds}: ${result.requestsPerSecond} req/s, p50 ${result.latencyMs.p50} ms, ` +
          `p99 ${result.latencyMs.p99} ms, non-2xx ${result.non2xx}, errors ${result.errors}, timeouts ${result.timeouts}, ` +
          `stored ${result.messagesStored}, heap+buffers ${mib(memory.heapUsed + memory.arrayBuffers)} MiB, rss ${mib(memory.rss)} MiB`,
      )
    }
    const zeroErrors = rounds.every(
      (r) =>
        r.errors === 0 &&
        r.timeouts === 0 &&
        r.non2xx === 0 &&
        Object.values(r.byKind).every((k) => k.failedItems === 0),
    )
    const memory = judgeMemory(rounds.map((r) => r.memory))
    const { log: _log, ...rest } = options
    return {
      options: rest,
      mix: mix.description,
      server: { startMs: server.startMs, fixtures: server.counts },
      before,
      rounds,
      memory,
      zeroErrors,
      ok: zeroErrors && memory.bounded,
    }
  } finally {
    await server.close()
  }
}
