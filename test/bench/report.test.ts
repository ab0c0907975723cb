/**
 * How the readable report reads results: this schema's (calibration, bytes on disk, skipped
 * competitors) and schema 2's saved ones in bench/results (which have none of them).
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { compareCalibrations } from '../../bench/lib/calibration.ts'
import { type BenchResult, RESULT_SCHEMA, type Schema2Result } from '../../bench/report/result.ts'
import { renderReport } from '../../bench/report/table.ts'

const figure = (ms: number) => ({ ms, roundsMs: [ms / 2, ms / 2], checksum: 7 })

/** This schema's start-up: from the snapshot, and without one. */
const startup: BenchResult['startup'] = {
  seconds: 2.4,
  coldSeconds: 51.2,
  snapshotBytes: 512 * 2 ** 20,
  startedHeapBytesPerMessage: 880,
  startedRssBytes: 2048 * 2 ** 20,
  fromMemorySeconds: 20.1,
  note: 'a note',
}

const schema2 = JSON.parse(
  readFileSync(new URL('../../bench/results/2026-11-24-1000000.json', import.meta.url), 'utf8'),
) as Schema2Result

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
      startup,
      ingest: { ...schema2.ingest, httpDurable: schema2.ingest.http },
      calibration,
      comparison: {
        ...schema2.comparison,
        competitors: schema2.comparison.competitors.map((c) => ({ ...c, store: null })),
        skipped: [],
      },
    })
    const quiet = renderReport(result(compareCalibrations(figure(612), figure(640))))
    expect(quiet).toContain('calibration: 612 ms at the start, 640 ms at the end, 4.6% apart: undisturbed')
    expect(quiet).toContain('start-up: 2.40 s from the index snapshot (512 MiB), 51.20 s without one')
    const busy = renderReport(result(compareCalibrations(figure(612), figure(900))))
    expect(busy).toContain('47.1% apart: DISTURBED (more than 10%)')
  })

  it('shows a database competitor’s bytes on disk by part, and a skipped competitor with its reason', () => {
    const base = schema2.comparison.competitors[0]!
    const text = renderReport({
      ...schema2,
      schema: RESULT_SCHEMA,
      startup,
      ingest: { ...schema2.ingest, httpDurable: schema2.ingest.http },
      calibration: compareCalibrations(figure(600), figure(610)),
      comparison: {
        ...schema2.comparison,
        competitors: [
          {
            ...base,
            name: 'sqlite-fts5',
            store: { bytesPerMessage: 380, partsPerMessage: { 'full-text index': 200, messages: 180 } },
          },
        ],
        skipped: [{ name: 'flexsearch', reason: 'not installed here' }],
      },
    })
    expect(text).toMatch(/sqlite-fts5 +[\d,]+ +[\d,]+ +380/)
    expect(text).toContain('sqlite-fts5 on disk, B/message: full-text index 200, messages 180')
    expect(text).toContain('- flexsearch: SKIPPED, not installed here')
  })
})
