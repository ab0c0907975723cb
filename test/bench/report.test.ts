/**
 * How the readable report reads results: this schema's (calibration, bytes on disk, skipped
 * competitors) and schema 2's saved ones in bench/results (which have none of them).
 */
import { readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { dataDirOf, IN_MEMORY_LIMIT, parseArgs } from '../../bench/lib/args.ts'
import { compareCalibrations } from '../../bench/lib/calibration.ts'
import {
  type BenchResult,
  DATA_DIR_RESULT_SCHEMA,
  type DataDirResult,
  RESULT_SCHEMA,
  type Schema2Result,
} from '../../bench/report/result.ts'
import { renderDataDirReport, renderReport } from '../../bench/report/table.ts'
import { evaluateDataDirTargets, TEN_MILLION } from '../../bench/report/targets.ts'

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

  it('reports the bench on a data dir, judging issue 15’s ten-million targets only at ten million', () => {
    const queries = schema2.search.messages
    const slowest = Math.max(...queries.map((q) => q.filtered.p99))
    const result = (messages: number): DataDirResult => ({
      schema: DATA_DIR_RESULT_SCHEMA,
      date: schema2.date,
      messages,
      seed: schema2.seed,
      backend: 'memory',
      machine: schema2.machine,
      calibration: compareCalibrations(figure(600), figure(610)),
      dataDir: { path: '/var/tmp/im-search-10m', bytes: 15.7 * 2 ** 30, snapshotBytes: 2 * 2 ** 30 },
      written: { messages: 4_000_000, seconds: 900, resumedAt: 6_000_000 },
      coldStartup: undefined,
      warmStartup: { seconds: 12, heapBytes: 417 * messages, rssBytes: 4.5 * 2 ** 30 },
      startedHeapBytesPerMessage: 417,
      servedHeapBytesPerMessage: 431,
      searchers: schema2.searchers,
      search: schema2.search,
      targets: evaluateDataDirTargets({
        messages,
        queries,
        startupSeconds: 12,
        heapBytesPerMessage: 417,
        servedHeapBytesPerMessage: 431,
        rssBytes: 4.5 * 2 ** 30,
      }),
      totalSeconds: 1200,
    })
    const text = renderDataDirReport(result(TEN_MILLION))
    expect(text).toContain('im-search bench on a data dir: 10,000,000 messages')
    expect(text).toContain('this run wrote 4,000,000 messages in 900 s (resumed at 6,000,000)')
    expect(text).toContain('start-up without a snapshot: not timed (a snapshot was there)')
    expect(text).toContain(
      'start-up from the snapshot: 12.00 s; started process: heap 3,977 MiB (417 B/message)',
    )
    expect(text).toContain('heap after the queries (with what the indexes build on first use): 431 B/message')
    expect(text).toMatch(/^PASS +start-up under 30 s/m)
    expect(text).toMatch(/^FAIL +under 400 B of heap per message.*: 431\.00 .*after the queries 431 B/m)
    expect(text).toMatch(/^PASS +resident memory of the started service under 12 GB/m)
    expect(text).toMatch(
      new RegExp(`^${slowest < 50 ? 'PASS' : 'FAIL'} +p99 under 50 ms at ten million`, 'm'),
    )
    const twoMillion = result(2_000_000).targets.filter((t) => t.id.endsWith('-10m'))
    expect(twoMillion.map((t) => t.applicable)).toEqual([false, false])
  })

  it('runs the bench on a data dir above the in-memory limit or with --dir', () => {
    const dirOf = (...argv: string[]) => dataDirOf(parseArgs(argv))
    expect(dirOf('--messages', String(IN_MEMORY_LIMIT))).toBeUndefined()
    expect(dirOf('--messages', '10_000_000')).toBe(join(tmpdir(), 'im-search-bench-10000000-20250101'))
    expect(dirOf('--messages', '10000000', '--seed', '7')).toBe(join(tmpdir(), 'im-search-bench-10000000-7'))
    expect(dirOf('--messages', '1000', '--dir', '/tmp/d')).toBe('/tmp/d')
    expect(() => parseArgs(['--directory', '/tmp/d'])).toThrow(/unknown option --directory/)
  })
})
