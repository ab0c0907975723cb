/**
 * The calibration figure and how the report reads results: the workload is deterministic (same
 * checksum every time), two figures more than 10% apart mark the run as disturbed, and the report
 * renders this schema's results and schema 2's saved ones (which have no calibration).
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { calibrate, compareCalibrations, DISTURBED_ABOVE, WORKLOAD } from '../../bench/lib/calibration.ts'
import { type BenchResult, RESULT_SCHEMA, type Schema2Result } from '../../bench/report/result.ts'
import { renderReport } from '../../bench/report/table.ts'

const figure = (ms: number, checksum = 7) => ({ ms, roundsMs: [ms / 2, ms / 2], checksum })

const schema2 = JSON.parse(
  readFileSync(new URL('../../bench/results/2026-11-24-1000000.json', import.meta.url), 'utf8'),
) as Schema2Result

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

describe('the readable report', () => {
  it('reads a saved schema 2 result, saying it has no calibration', () => {
    expect(schema2.schema).toBe('im-search-bench/2')
    const text = renderReport(schema2)
    expect(text).toContain('calibration: not recorded (im-search-bench/2, from before calibration)')
    expect(text).toContain('Side by side at N=200,000')
  })

  it('says whether this schema’s run was disturbed', () => {
    const result = (calibration: BenchResult['calibration']): BenchResult => ({
      ...schema2,
      schema: RESULT_SCHEMA,
      calibration,
    })
    const quiet = renderReport(result(compareCalibrations(figure(612), figure(640))))
    expect(quiet).toContain('calibration: 612 ms at the start, 640 ms at the end, 4.6% apart: undisturbed')
    const busy = renderReport(result(compareCalibrations(figure(612), figure(900))))
    expect(busy).toContain('47.1% apart: DISTURBED (more than 10%)')
  })
})
