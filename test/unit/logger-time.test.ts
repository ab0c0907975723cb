/**
 * @module The log line's timestamp, formatted once per millisecond: the same text as pino's
 * `isoTime` at every instant, however many lines share a millisecond and whatever order the clock
 * takes (a clock set back, as fake timers and NTP do).
 */
import fc from 'fast-check'
import { pino } from 'pino'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { isoTimeOncePerMs } from '../../src/logger.ts'

/** The largest distance from the epoch a Date can hold (ECMA-262, "Time Values and Time Range"). */
const MAX_DATE_MS = 8.64e15

describe('isoTimeOncePerMs', () => {
  afterEach(() => vi.useRealTimers())

  it("gives pino's isoTime text for every reading of the clock", () => {
    fc.assert(
      fc.property(
        // Repeated readings (the same millisecond), steps forward and back, any date JSON can carry.
        fc.array(
          fc.oneof(
            fc.constant(0),
            fc.integer({ min: -3, max: 3 }),
            fc.integer({ min: -MAX_DATE_MS, max: MAX_DATE_MS }),
          ),
          {
            maxLength: 60,
          },
        ),
        (steps) => {
          let clock = Date.UTC(2026, 11, 5, 18, 0, 0, 123)
          const time = isoTimeOncePerMs(() => clock)
          for (const step of steps) {
            // A step from the edge of the date range stays on it: past ±8.64e15 ms there is no Date.
            const next = Math.abs(step) > 10 ? step : clock + step
            clock = Math.min(MAX_DATE_MS, Math.max(-MAX_DATE_MS, next))
            vi.useFakeTimers({ toFake: ['Date'], now: clock })
            expect(time()).toBe(pino.stdTimeFunctions.isoTime())
          }
        },
      ),
    )
  })

  it('reads Date.now at each call, so fake timers set the time of lines', () => {
    const time = isoTimeOncePerMs()
    vi.useFakeTimers({ toFake: ['Date'], now: Date.UTC(2026, 0, 1) })
    expect(time()).toBe(',"time":"2026-01-01T00:00:00.000Z"')
    vi.setSystemTime(Date.UTC(2026, 0, 1, 0, 0, 0, 1))
    expect(time()).toBe(',"time":"2026-01-01T00:00:00.001Z"')
  })
})
