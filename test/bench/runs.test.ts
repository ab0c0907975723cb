/**
 * The several-runs summary the README's Benchmarks tables are made with: medians and ranges over
 * the undisturbed runs, checked on saved results (2026-12-07 runs at `be5c2df`: five at 1M, the
 * first disturbed, and three at 10M) against figures worked out from those files by hand.
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { median } from '../../bench/lib/stats.ts'
import {
  figure,
  type RunFile,
  type RunResult,
  renderRunsMarkdown,
  summarizeRuns,
} from '../../bench/report/runs.ts'

const saved = (name: string): RunFile => ({
  name,
  result: JSON.parse(
    readFileSync(new URL(`../../bench/results/${name}.json`, import.meta.url), 'utf8'),
  ) as RunResult,
})
const oneMillion = [1, 2, 3, 4, 5].map((r) => saved(`2026-12-07-1000000-s6-run${r}`))
const tenMillion = [1, 2, 3].map((r) => saved(`2026-12-07-10000000-s6-run${r}`))

describe('the runs summary', () => {
  it('takes the middle value, or the mean of the two middle ones', () => {
    expect(median([3, 1, 2])).toBe(2)
    expect(median([4, 1, 3, 2])).toBe(2.5)
    expect(median([])).toBeNaN()
  })

  it('formats three significant digits, and whole thousands', () => {
    expect(figure(2)).toBe('2.00')
    expect(figure(0.088)).toBe('0.0880')
    expect(figure(38.233)).toBe('38.2')
    expect(figure(45291.5)).toBe('45,292')
    expect(figure(Number.NaN)).toBe('—')
  })

  it('groups by size and leaves the disturbed run out', () => {
    const [one, ten] = summarizeRuns([...tenMillion, ...oneMillion])
    expect(one?.messages).toBe(1_000_000)
    expect(one?.leftOut.map((f) => f.name)).toEqual(['2026-12-07-1000000-s6-run1'])
    expect(one?.counted).toHaveLength(4)
    expect(ten?.messages).toBe(10_000_000)
    expect(ten?.counted).toHaveLength(3)
    expect(ten?.leftOut).toHaveLength(0)
  })

  it('gives each target’s median, range and runs met', () => {
    const [one] = summarizeRuns(oneMillion)
    const target = (id: string) => one?.targets.find((t) => t.id === id)
    // Port ingest in runs 2–5: 43,242, 42,172, 55,348 and 47,341 msg/s.
    expect(target('ingest-port')).toMatchObject({ median: 45291.5, min: 42172, max: 55348, runs: 4, met: 1 })
    expect(target('heap-per-message')).toMatchObject({ median: 392, min: 392, max: 392, met: 4 })
    // 2,853, 3,000 (not over 3,000), 3,904 and 3,549 searches/s.
    expect(target('http-searches')).toMatchObject({ median: 3274.5, met: 2 })
    expect(target('http-vs-in-process')).toMatchObject({ min: 0.443, max: 0.519, met: 0 })
  })

  it('counts the disturbed run when asked', () => {
    const [one] = summarizeRuns(oneMillion, true)
    expect(one?.counted).toHaveLength(5)
    expect(one?.leftOut).toHaveLength(0)
  })

  it('gives each query kind’s p99 over the counted runs', () => {
    const [ten] = summarizeRuns(tenMillion)
    const facets = ten?.p99.get('message search (今天) with four facets, 10% user')
    const byHand = tenMillion.map(
      (f) =>
        f.result.search.messages.find((q) => q.kind === 'four-facets' && q.audience === '10%')?.filtered
          .p99 as number,
    )
    expect(facets).toEqual({
      median: median(byHand),
      min: Math.min(...byHand),
      max: Math.max(...byHand),
      runs: 3,
    })
    expect(ten?.p99.get('discovery: tag search (咖啡)')?.runs).toBe(3)
  })

  it('gives the figures beside the targets, each from the schema that holds it', () => {
    const [one, ten] = summarizeRuns([...oneMillion, ...tenMillion])
    const httpIngest = oneMillion.slice(1).map((f) => f.result.ingest?.http?.messagesPerSecond ?? Number.NaN)
    expect(one?.figures.get('ingest over HTTP into memory, msg/s')?.median).toBe(median(httpIngest))
    expect(ten?.figures.has('ingest over HTTP into memory, msg/s')).toBe(false)
    const dir = tenMillion[0]?.result.dataDir as { bytes: number }
    expect(ten?.figures.get('data dir on disk, B a message')?.min).toBeCloseTo(dir.bytes / 10_000_000)
    expect(one?.figures.get('data dir on disk, B a message')).toMatchObject({ median: 780, runs: 4 })
  })

  it('gives each competitor’s lowest and highest p99 ratio to ours', () => {
    const [one, ten] = summarizeRuns([...oneMillion, ...tenMillion])
    const ratios = oneMillion
      .slice(1)
      .flatMap(
        (f) =>
          f.result.comparison?.competitors
            .find((c) => c.name === 'flexsearch')
            ?.queries.map((q) => q.ratioP99) ?? [],
      )
    expect(ratios.length).toBeGreaterThan(8)
    expect(one?.competitors.get('flexsearch')).toEqual({ min: Math.min(...ratios), max: Math.max(...ratios) })
    expect(one?.comparedAt).toBe(200_000)
    expect(ten?.competitors.size).toBe(0)
  })

  it('skips a target whose figure was saved as NaN (null in JSON) or is not applicable', () => {
    const base = oneMillion[1] as RunFile
    const withNull: RunFile = {
      name: 'null-figure',
      result: {
        ...base.result,
        targets: base.result.targets.map((t) =>
          t.id === 'startup'
            ? { ...t, value: null as unknown as number }
            : t.id === 'heap-per-message'
              ? { ...t, applicable: false }
              : t,
        ),
      },
    }
    const [one] = summarizeRuns([base, withNull])
    expect(one?.targets.find((t) => t.id === 'startup')?.runs).toBe(1)
    expect(one?.targets.find((t) => t.id === 'heap-per-message')?.runs).toBe(1)
    expect(one?.targets.find((t) => t.id === 'ingest-port')?.runs).toBe(2)
  })

  it('renders the runs, a p99 table with a column per size, and the targets', () => {
    const text = renderRunsMarkdown(summarizeRuns([...oneMillion, ...tenMillion]))
    expect(text).toContain('1M: 4 runs counted: 2026-12-07-1000000-s6-run2 (calibration 570 → 601 ms)')
    expect(text).toContain('Left out, disturbed: 2026-12-07-1000000-s6-run1 (calibration 547 → 696 ms).')
    expect(text).toContain('| p99 ms, median (range) | 1M | 10M |')
    expect(text).toMatch(
      /\| message search \(今天\) with four facets, 10% user \| [^|]+ \| 38\.2 \(34\.7–43\.5\) \|/,
    )
    expect(text).toContain(
      '| ingest through the port over 50,000 messages/s (issue 15) | 45,292 (42,172–55,348) |',
    )
    expect(text).toContain('| 392 (every run) | < 400 B | 4 of 4 |')
  })
})
