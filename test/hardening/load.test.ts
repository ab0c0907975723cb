/**
 * The bounded load test (issue #8, "Load"), short: 3 rounds of 3 s of mixed search and ingestion
 * (bench/load/mix.ts) against the real server in its own process over an LMDB data dir. Every
 * request is valid, so every answer must be 2xx; memory after forced GC may grow only by what the
 * stored messages explain (bench/load/memory-rule.ts). `IMSEARCH_LONG=1` runs 6 rounds of 10 s;
 * `node --expose-gc --import ./loader/register.mjs bench/load.ts` runs the 60 s variant and prints the figures.
 */
import { describe, expect, it } from 'vitest'
import { KINDS } from '../../bench/load/mix.ts'
import { runLoad } from '../../bench/load/rounds.ts'
import { LONG } from './runs.ts'

const ROUNDS = LONG ? 6 : 3
const ROUND_SECONDS = LONG ? 10 : 3
const CONNECTIONS = 8

describe('mixed search and ingestion under load', () => {
  it(`${ROUNDS} rounds of ${ROUND_SECONDS} s: zero errors, zero non-2xx, bounded memory`, {
    timeout: 300_000,
  }, async () => {
    const report = await runLoad({
      roundSeconds: ROUND_SECONDS,
      rounds: ROUNDS,
      connections: CONNECTIONS,
      fixturesDir: 'fixtures',
    })
    expect(report.rounds).toHaveLength(ROUNDS)
    let stored = 0
    for (const round of report.rounds) {
      expect({
        round: round.round,
        errors: round.errors,
        timeouts: round.timeouts,
        non2xx: round.non2xx,
      }).toEqual({
        round: round.round,
        errors: 0,
        timeouts: 0,
        non2xx: 0,
      })
      for (const kind of KINDS) {
        expect(round.byKind[kind].requests, `${kind} in round ${round.round}`).toBeGreaterThan(0)
        expect(round.byKind[kind]).toMatchObject({ non2xx: 0, failedItems: 0 })
      }
      // Every acknowledged message is in the index by the time the round's sample is taken; a few
      // more may be, whose answers arrived after autocannon stopped counting: at most a batch per
      // connection per round so far.
      stored += round.messagesStored
      const inFlight = round.round * CONNECTIONS * 10
      expect(round.memory.messages).toBeGreaterThanOrEqual(report.before.messages + stored)
      expect(round.memory.messages).toBeLessThanOrEqual(report.before.messages + stored + inFlight)
    }
    expect(report.memory.bounded, JSON.stringify(report.memory.rounds)).toBe(true)
    expect(report.ok).toBe(true)
  })
})
