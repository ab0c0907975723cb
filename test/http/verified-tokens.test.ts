/**
 * @module The verified-token cache: a bounded least-recently-used map whose entries die at their
 * deadline (checked against a model), and the deadline of a token, which must be the very
 * millisecond jose starts refusing it (checked against jose itself, at random expiries, skews and
 * clocks).
 */
import fc from 'fast-check'
import { jwtVerify, SignJWT } from 'jose'
import { describe, expect, it } from 'vitest'
import { createVerifiedTokens, expiryOf } from '../../src/http/verified-tokens.ts'

const key = new TextEncoder().encode('verified-tokens-test-secret-0123456789')

type Op =
  | { kind: 'set'; token: string; value: number; validFor: number }
  | { kind: 'get'; token: string }
  | { kind: 'tick'; ms: number }

const tokenArb = fc.constantFrom('a', 'b', 'c', 'd', 'e', '令牌', 'tok.en')
const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({
    kind: fc.constant('set' as const),
    token: tokenArb,
    value: fc.integer(),
    validFor: fc.integer({ min: -2, max: 30 }),
  }),
  fc.record({ kind: fc.constant('get' as const), token: tokenArb }),
  fc.record({ kind: fc.constant('tick' as const), ms: fc.integer({ min: 0, max: 10 }) }),
)

describe('createVerifiedTokens', () => {
  it('behaves as a least-recently-used list of entries that each die at their deadline', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 4 }),
        fc.integer({ min: 1, max: 40 }),
        fc.array(opArb, { maxLength: 80 }),
        (maxEntries, maxAgeMs, ops) => {
          let clock = 1_000
          const cache = createVerifiedTokens<number>({ maxEntries, maxAgeMs, now: () => clock })
          // The model: most recently used last; an expired entry is dropped when looked up.
          let model: { token: string; value: number; until: number }[] = []
          for (const op of ops) {
            if (op.kind === 'tick') clock += op.ms
            else if (op.kind === 'set') {
              if (maxEntries === 0) continue
              model = model.filter((e) => e.token !== op.token)
              if (model.length >= maxEntries) model.shift()
              model.push({
                token: op.token,
                value: op.value,
                until: Math.min(clock + op.validFor, clock + maxAgeMs),
              })
              cache.set(op.token, op.value, clock + op.validFor)
            } else {
              const entry = model.find((e) => e.token === op.token)
              model = model.filter((e) => e.token !== op.token)
              const alive = entry !== undefined && clock < entry.until
              if (alive) model.push(entry)
              expect(cache.get(op.token)).toBe(alive ? entry.value : undefined)
            }
            expect(cache.size).toBe(model.length)
          }
        },
      ),
    )
  })
})

describe('expiryOf', () => {
  it('is the first millisecond at which jose refuses the token', async () => {
    await fc.assert(
      fc.asyncProperty(
        // Whole and fractional expiries, around a fixed "now", with whole and fractional skews.
        fc.oneof(
          fc.integer({ min: 1_700_000_000, max: 1_700_000_100 }),
          fc.double({ min: 1_700_000_000, max: 1_700_000_100, noNaN: true }),
        ),
        fc.oneof(fc.integer({ min: 0, max: 10 }), fc.double({ min: 0, max: 10, noNaN: true })),
        fc.integer({ min: 1_699_999_990_000, max: 1_700_000_120_000 }),
        async (exp, tolerance, nowMs) => {
          const token = await new SignJWT({ sub: 'u1', exp }).setProtectedHeader({ alg: 'HS256' }).sign(key)
          const accepted = await jwtVerify(token, key, {
            clockTolerance: tolerance,
            currentDate: new Date(nowMs),
          }).then(
            () => true,
            () => false,
          )
          expect(accepted).toBe(nowMs < expiryOf(exp, tolerance))
          // And the boundary itself: the last accepted and first refused milliseconds.
          const until = expiryOf(exp, tolerance)
          const at = (ms: number) =>
            jwtVerify(token, key, { clockTolerance: tolerance, currentDate: new Date(ms) }).then(
              () => true,
              () => false,
            )
          expect(await at(until - 1)).toBe(true)
          expect(await at(until)).toBe(false)
        },
      ),
      { numRuns: 150 },
    )
  })

  it('never expires a token without exp, and gives dates past 2^53 seconds no deadline', () => {
    expect(expiryOf(undefined, 5)).toBe(Number.POSITIVE_INFINITY)
    expect(expiryOf(1e300, 5)).toBe(Number.POSITIVE_INFINITY)
  })
})
