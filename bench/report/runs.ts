/**
 * @module Several saved results side by side, as the README quotes them: per corpus size, the
 * median and range of each query kind's p99 and of each target's figure, over the runs that were
 * not disturbed (their two calibrations within 10%), with how many of them met the target. The
 * README's tables are this module's output, not figures copied by hand.
 */
import type { Calibration } from '../lib/calibration.ts'
import { median } from '../lib/stats.ts'
import type { Target } from './targets.ts'

/** What this summary reads of a saved result (the main bench's and the data-dir bench's alike). */
export interface RunResult {
  messages: number
  date: string
  /** Absent from results saved before calibration (schema 2). */
  calibration?: Calibration
  search: {
    messages: readonly { kind: string; audience: string; label: string; filtered: { p99: number } }[]
    discovery: readonly { kind: string; label: string; latency: { p99: number } }[]
  }
  targets: readonly Target[]
  // The figures beside the targets (see FIGURES), each in one of the two schemas only.
  startup?: { coldSeconds?: number; snapshotBytes?: number; startedRssBytes?: number }
  memory?: { dataDirBytesPerMessage?: number }
  ingest?: { http?: { messagesPerSecond: number }; durable?: { messagesPerSecond: number } }
  http?: { latencyMs?: { p99: number }; inProcess?: { searchesPerSecond: number } }
  dataDir?: { bytes: number; snapshotBytes: number }
  startedHeapBytesPerMessage?: number
  /** The side-by-side run (main bench only): each competitor's p99 ÷ ours, measured beside it. */
  comparison?: {
    messages: number
    competitors: readonly { name: string; queries: readonly { ratioP99: number }[] }[]
  }
}

const MIB = 2 ** 20

/** Figures a result holds beside its targets: the main bench's (1M) and the data-dir bench's (10M). */
const FIGURES: readonly { label: string; of: (r: RunResult) => number | undefined }[] = [
  { label: 'start-up without a snapshot (rebuild, then save one), s', of: (r) => r.startup?.coldSeconds },
  {
    label: 'index snapshot, MiB',
    of: (r) => {
      const bytes = r.startup?.snapshotBytes ?? r.dataDir?.snapshotBytes
      return bytes === undefined ? undefined : bytes / MIB
    },
  },
  {
    label: 'resident memory of the started service, MiB',
    of: (r) => (r.startup?.startedRssBytes === undefined ? undefined : r.startup.startedRssBytes / MIB),
  },
  {
    label: 'heap of the started service before any query, B a message',
    of: (r) => r.startedHeapBytesPerMessage,
  },
  {
    label: 'data dir on disk, B a message',
    of: (r) => r.memory?.dataDirBytesPerMessage ?? (r.dataDir ? r.dataDir.bytes / r.messages : undefined),
  },
  { label: 'ingest over HTTP into memory, msg/s', of: (r) => r.ingest?.http?.messagesPerSecond },
  {
    label: 'durable writes to the store, 1,024 in flight, msg/s',
    of: (r) => r.ingest?.durable?.messagesPerSecond,
  },
  { label: 'searches over HTTP, p99 ms', of: (r) => r.http?.latencyMs?.p99 },
  {
    label: 'searches in process (what HTTP is divided by), /s',
    of: (r) => r.http?.inProcess?.searchesPerSecond,
  },
]

export interface RunFile {
  name: string
  result: RunResult
}

/** Median and range of one figure over the counted runs. */
export interface Spread {
  median: number
  min: number
  max: number
  runs: number
}

export interface TargetSpread extends Spread {
  id: string
  description: string
  threshold: string
  met: number
}

export interface SizeSummary {
  messages: number
  counted: readonly RunFile[]
  /** Runs left out: disturbed (their calibrations more than 10% apart). */
  leftOut: readonly RunFile[]
  /** Query kind (`label, audience user`, or `discovery: label`) → its p99 over the counted runs. */
  p99: ReadonlyMap<string, Spread>
  targets: readonly TargetSpread[]
  /** {@link FIGURES}' label → its spread, for the figures these runs hold. */
  figures: ReadonlyMap<string, Spread>
  /** Competitor → its p99 ÷ ours over every query kind of every counted run, at `comparedAt` messages. */
  competitors: ReadonlyMap<string, { min: number; max: number }>
  comparedAt: number | undefined
}

/** Appends `value` to `key`'s list in `lists`, making the list on first use. */
function push<T>(lists: Map<string, T[]>, key: string, value: T): void {
  const list = lists.get(key)
  if (list) list.push(value)
  else lists.set(key, [value])
}

function spreadOf(values: readonly number[]): Spread {
  return { median: median(values), min: Math.min(...values), max: Math.max(...values), runs: values.length }
}

/** Groups runs by corpus size (ascending); disturbed runs are counted only with `includeDisturbed`. */
export function summarizeRuns(files: readonly RunFile[], includeDisturbed = false): SizeSummary[] {
  const sizes = [...new Set(files.map((f) => f.result.messages))].sort((a, b) => a - b)
  return sizes.map((messages) => {
    const runs = files.filter((f) => f.result.messages === messages)
    const counted = runs.filter((f) => includeDisturbed || f.result.calibration?.disturbed !== true)
    const leftOut = runs.filter((f) => !counted.includes(f))
    const p99Samples = new Map<string, number[]>()
    const targetRuns = new Map<string, Target[]>()
    for (const { result } of counted) {
      for (const q of result.search.messages)
        push(p99Samples, `${q.label}, ${q.audience} user`, q.filtered.p99)
      for (const q of result.search.discovery) push(p99Samples, `discovery: ${q.label}`, q.latency.p99)
      // A figure saved as NaN reads back as null: no value to count.
      for (const t of result.targets) if (t.applicable && Number.isFinite(t.value)) push(targetRuns, t.id, t)
    }
    const p99 = new Map([...p99Samples].map(([key, values]) => [key, spreadOf(values)]))
    const targets = [...targetRuns.values()].map((ts) => {
      const first = ts[0] as Target
      return {
        id: first.id,
        description: first.description,
        threshold: first.threshold,
        met: ts.filter((t) => t.pass).length,
        ...spreadOf(ts.map((t) => t.value)),
      }
    })
    const figures = new Map<string, Spread>()
    for (const { label, of } of FIGURES) {
      const values = counted
        .map((f) => of(f.result))
        .filter((v): v is number => v !== undefined && Number.isFinite(v))
      if (values.length > 0) figures.set(label, spreadOf(values))
    }
    const competitors = new Map<string, { min: number; max: number }>()
    for (const { result } of counted)
      for (const c of result.comparison?.competitors ?? [])
        for (const { ratioP99 } of c.queries) {
          if (!Number.isFinite(ratioP99)) continue
          const seen = competitors.get(c.name)
          competitors.set(c.name, {
            min: Math.min(seen?.min ?? ratioP99, ratioP99),
            max: Math.max(seen?.max ?? ratioP99, ratioP99),
          })
        }
    const comparedAt = counted.find((f) => f.result.comparison)?.result.comparison?.messages
    return { messages, counted, leftOut, p99, targets, figures, competitors, comparedAt }
  })
}

/** Three significant digits (2.00, 0.0880, 38.2); whole and thousands separated from 1,000 on. */
export function figure(x: number): string {
  if (Number.isNaN(x)) return '—'
  if (Math.abs(x) >= 1000) return Math.round(x).toLocaleString('en-US')
  return x.toPrecision(3)
}

function spreadText(s: Spread): string {
  return s.runs === 1 || s.min === s.max
    ? `${figure(s.median)}${s.runs > 1 ? ' (every run)' : ''}`
    : `${figure(s.median)} (${figure(s.min)}–${figure(s.max)})`
}

const sizeName = (n: number) =>
  n >= 1_000_000 && n % 1_000_000 === 0 ? `${n / 1_000_000}M` : n.toLocaleString('en-US')

function markdownTable(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`
  return [line(headers), line(headers.map((_, i) => (i === 0 ? '---' : '---:'))), ...rows.map(line)].join(
    '\n',
  )
}

function runLine(f: RunFile): string {
  const c = f.result.calibration
  return c === undefined
    ? `${f.name} (no calibration)`
    : `${f.name} (calibration ${Math.round(c.start.ms)} → ${Math.round(c.end.ms)} ms)`
}

/** The runs counted and left out, the p99 table (a column per size) and each size's targets. */
export function renderRunsMarkdown(sizes: readonly SizeSummary[]): string {
  const out: string[] = []
  for (const s of sizes) {
    out.push(
      `${sizeName(s.messages)}: ${s.counted.length} runs counted: ${s.counted.map(runLine).join(', ')}.`,
    )
    if (s.leftOut.length > 0) out.push(`Left out, disturbed: ${s.leftOut.map(runLine).join(', ')}.`)
    out.push('')
  }
  const bySize = (title: string, of: (s: SizeSummary) => ReadonlyMap<string, Spread>) => {
    const rows = [...new Set(sizes.flatMap((s) => [...of(s).keys()]))]
    return markdownTable(
      [title, ...sizes.map((s) => sizeName(s.messages))],
      rows.map((row) => [
        row,
        ...sizes.map((s) => {
          const spread = of(s).get(row)
          return spread ? spreadText(spread) : '—'
        }),
      ]),
    )
  }
  out.push(bySize('p99 ms, median (range)', (s) => s.p99))
  out.push(
    '',
    bySize('other figures, median (range)', (s) => s.figures),
  )
  for (const s of sizes) {
    if (s.competitors.size === 0) continue
    out.push(
      '',
      `Side by side at ${sizeName(s.comparedAt ?? s.messages)} messages (the ${sizeName(s.messages)} runs):`,
      '',
    )
    out.push(
      markdownTable(
        ['competitor', 'its p99 ÷ ours, lowest–highest over query kinds and runs'],
        [...s.competitors].map(([name, r]) => [name, `${figure(r.min)}×–${figure(r.max)}×`]),
      ),
    )
  }
  for (const s of sizes) {
    out.push('', `Targets at ${sizeName(s.messages)}:`, '')
    out.push(
      markdownTable(
        ['target', 'median (range)', 'threshold', 'met'],
        s.targets.map((t) => [t.description, spreadText(t), t.threshold, `${t.met} of ${t.runs}`]),
      ),
    )
  }
  return `${out.join('\n')}\n`
}
