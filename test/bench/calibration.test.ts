/**
 * The calibration figure: the workload is deterministic (the same checksum every time), and two
 * figures more than 10% apart, in either direction, mark the run as disturbed.
 */
import { describe, expect, it } from 'vitest'
import { calibrate, compareCalibrations, DISTURBED_ABOVE, WORKLOAD } from '../../bench/lib/calibration.ts'
import { calibrateFresh } from '../../bench/lib/fresh-calibration.ts'

const figure = (ms: number, checksum = 7) => ({ ms, roundsMs: [ms / 2, ms / 2], checksum })

describe('calibration', () => {
  it('does the same work every time: the same checksum, a positive time per round', () => {
    const a = calibrate()
    const b = calibrate()
    expect(b.checksum).toBe(a.checksum)
    expect(a.roundsMs.length).toBeGreaterThan(0)
    for (const ms of [...a.roundsMs, ...b.roundsMs]) expect(ms).toBeGreaterThan(0)
    expect(a.ms).toBeCloseTo(
      a.roundsMs.reduce((x, y) => x + y, 0),
      1,
    )
  })

  it('runs the same workload in a fresh process', async () => {
    const here = calibrate()
    const fresh = await calibrateFresh()
    expect(fresh.checksum).toBe(here.checksum)
    expect(fresh.roundsMs).toHaveLength(here.roundsMs.length)
    expect(fresh.ms).toBeGreaterThan(0)
  })

  it('marks a run disturbed when its two figures differ by more than 10%, in either direction', () => {
    expect(DISTURBED_ABOVE).toBe(0.1)
    expect(compareCalibrations(figure(600), figure(650)).disturbed).toBe(false)
    expect(compareCalibrations(figure(600), figure(659)).spread).toBeCloseTo(0.098, 3)
    expect(compareCalibrations(figure(600), figure(661)).disturbed).toBe(true)
    const slowerStart = compareCalibrations(figure(700), figure(600))
    expect(slowerStart.spread).toBeCloseTo(0.167, 3)
    expect(slowerStart.disturbed).toBe(true)
    expect(slowerStart.workload).toBe(WORKLOAD)
    expect(slowerStart.start.ms).toBe(700)
    expect(slowerStart.end.ms).toBe(600)
  })

  it('refuses two figures of different work', () => {
    expect(() => compareCalibrations(figure(600, 1), figure(600, 2))).toThrow(/different work/)
  })
})
