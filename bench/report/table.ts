/** @module The readable report: aligned plain-text tables. */
import { type Calibration, DISTURBED_ABOVE } from '../lib/calibration.ts'
import type { DiscoveryLatency, MessageLatency } from '../phases/ours.ts'
import type { Searcher } from '../phases/pick-users.ts'
import type { DataDirResult, ReadableResult } from './result.ts'
import type { Target } from './targets.ts'

function table(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)))
  const line = (cells: readonly string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ')
  return [line(headers), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n')
}

const num = (x: number | null | undefined, digits = 0) =>
  x === null || x === undefined || Number.isNaN(x)
    ? '—'
    : x.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits })
const ms = (x: number) => num(x, x < 10 ? 2 : 1)

/** The calibration line of a report (the main bench's and the load test's). */
export function calibrationLine(c: Calibration): string {
  const limit = `${num(DISTURBED_ABOVE * 100)}%`
  return (
    `calibration: ${num(c.start.ms)} ms at the start, ${num(c.end.ms)} ms at the end, ${num(c.spread * 100, 1)}% apart: ` +
    (c.disturbed
      ? `DISTURBED (more than ${limit}): something else loaded the machine during this run; do not compare its figures`
      : `undisturbed (within ${limit}); compare runs by their figures ÷ calibration`)
  )
}

/** The searchers, then the latency tables of message search and discovery. */
function searchLines(r: {
  messages: number
  searchers: readonly Searcher[]
  search: { messages: readonly MessageLatency[]; discovery: readonly DiscoveryLatency[] }
}): string[] {
  return [
    ...r.searchers.map(
      (s) =>
        `searcher ${s.audience}: ${s.userId} sees ${num(s.visible)} messages (${num(s.share * 100, 2)}%; engine total ${num(s.engineTotal)}), ` +
        `filter-only conversation ${s.conversationId} (${num(s.conversationMessages)} visible)`,
    ),
    '',
    `Message search through the services (N=${num(r.messages)}), ms`,
    messageTable(r.search.messages),
    '',
    'Discovery through the services, ms',
    discoveryTable(r.search.discovery),
  ]
}

function messageTable(queries: readonly MessageLatency[]): string {
  return table(
    ['query', 'user', 'first', 'p50', 'p95', 'p99', 'backend p99', 'unfiltered p99', 'hits', 'total', 'runs'],
    queries.map((q) => [
      q.label,
      q.audience,
      ms(q.firstMs),
      ms(q.filtered.p50),
      ms(q.filtered.p95),
      ms(q.filtered.p99),
      ms(q.backendFiltered.p99),
      ms(q.unfiltered.p99),
      num(q.hits),
      num(q.total),
      num(q.filtered.runs),
    ]),
  )
}

function discoveryTable(discovery: readonly DiscoveryLatency[]): string {
  return table(
    ['query', 'p50', 'p95', 'p99', 'hits', 'total', 'runs'],
    discovery.map((d) => [
      d.label,
      ms(d.latency.p50),
      ms(d.latency.p95),
      ms(d.latency.p99),
      num(d.hits),
      num(d.total),
      num(d.latency.runs),
    ]),
  )
}

function targetLines(targets: readonly Target[]): string[] {
  return [
    'Targets (absolute ones are defined at 1,000,000 messages: n/a below)',
    ...targets.map(
      (t) =>
        `${(t.applicable ? (t.pass ? 'PASS' : 'FAIL') : t.pass ? 'n/a (pass)' : 'n/a (fail)').padEnd(10)} ` +
        `${t.description}: ${num(t.value, 2)} (${t.threshold}); ${t.detail}`,
    ),
  ]
}

/** The report of the bench on a data dir (`data-dir-bench.ts`). */
export function renderDataDirReport(r: DataDirResult): string {
  const m = r.machine
  const startup = (label: string, s: DataDirResult['warmStartup']) =>
    `${label}: ${num(s.seconds, 2)} s; started process: heap ${num(s.heapBytes / 2 ** 20)} MiB ` +
    `(${num(s.heapBytes / r.messages)} B/message), RSS ${num(s.rssBytes / 2 ** 20)} MiB`
  const out = [
    `im-search bench on a data dir: ${num(r.messages)} messages, embedded backend, ${r.date}`,
    `machine: ${m.cpus} cpus (${m.cpuModel}), ${num(m.memoryBytes / 2 ** 30, 1)} GiB, node ${m.node}`,
    calibrationLine(r.calibration),
    '',
    `data dir ${r.dataDir.path}: ${num(r.dataDir.bytes / 2 ** 20)} MiB, index snapshot ${num(r.dataDir.snapshotBytes / 2 ** 20)} MiB; ` +
      `this run wrote ${num(r.written.messages)} messages in ${num(r.written.seconds)} s` +
      (r.written.resumedAt > 0 ? ` (resumed at ${num(r.written.resumedAt)})` : ''),
    r.coldStartup
      ? startup('start-up without a snapshot (rebuild, then save)', r.coldStartup)
      : 'start-up without a snapshot: not timed (a snapshot was there)',
    startup('start-up from the snapshot', r.warmStartup),
    `heap after the queries (with what the indexes build on first use): ${num(r.servedHeapBytesPerMessage)} B/message`,
    ...searchLines(r),
    '',
    ...targetLines(r.targets),
  ]
  return `${out.join('\n')}\n`
}

export function renderReport(r: ReadableResult): string {
  const m = r.machine
  const out: string[] = []
  out.push(
    `im-search bench: ${num(r.messages)} messages, embedded backend, ${r.date}`,
    `machine: ${m.cpus} cpus (${m.cpuModel}), ${num(m.memoryBytes / 2 ** 30, 1)} GiB, node ${m.node}, gc exposed: ${m.gcExposed}`,
    r.calibration
      ? calibrationLine(r.calibration)
      : `calibration: not recorded (${r.schema}, from before calibration)`,
    '',
    `corpus: ${num(r.corpus.users)} users, ${num(r.corpus.groups)} groups, ${num(r.corpus.directChats)} direct chats, ` +
      `${num(r.corpus.groupMessageShare * 100, 1)}% group messages, ${num(r.corpus.meanRecipients, 1)} recipients/message, ` +
      `${num(r.corpus.distinctRecipientLists)} distinct recipient lists, ${num(r.corpus.membershipChanges)} membership changes ` +
      `(generated in ${num(r.corpus.generateSeconds, 1)} s)`,
    `ingest: port ${num(r.ingest.port.messagesPerSecond)} msg/s (${num(r.ingest.port.indexSeconds, 1)} s); ` +
      `HTTP batch ${num(r.ingest.http.messagesPerSecond)} msg/s (${num(r.ingest.http.messages)} messages, ` +
      `${r.ingest.http.failures} failed; setup through the ingestion service ${num(r.ingest.http.setupSeconds, 1)} s)` +
      (r.ingest.httpDurable
        ? `; HTTP batch onto the durable LMDB store ${num(r.ingest.httpDurable.messagesPerSecond)} msg/s (${r.ingest.httpDurable.failures} failed)`
        : ''),
    `memory: ${num(r.memory.heapBytesPerMessage)} B/message (heap ${num(r.memory.heapUsedBytes / 2 ** 20)} MiB + ` +
      `buffers ${num(r.memory.arrayBufferBytes / 2 ** 20)} MiB); data dir ${num(r.memory.dataDirBytes / 2 ** 20)} MiB, ` +
      `${num(r.memory.dataDirBytesPerMessage)} B/message (${r.memory.dataDirNote})`,
    `durable writes: ${num(r.ingest.durable.messagesPerSecond)} msg/s to the LMDB store, ${r.ingest.durable.inFlight} in flight`,
    'coldSeconds' in r.startup
      ? `start-up: ${num(r.startup.seconds, 2)} s from the index snapshot (${num(r.startup.snapshotBytes / 2 ** 20)} MiB), ` +
          `${num(r.startup.coldSeconds, 2)} s without one (rebuild and save); started process: heap ${num(r.startup.startedHeapBytesPerMessage)} B/message, ` +
          `RSS ${num(r.startup.startedRssBytes / 2 ** 20)} MiB; the rebuild from in-memory records alone ${num(r.startup.fromMemorySeconds, 2)} s (${r.startup.note})`
      : `start-up: ${num(r.startup.seconds, 2)} s; the rebuild from in-memory records alone ${num(r.startup.fromMemorySeconds, 2)} s (${r.startup.note})`,
    ...searchLines(r),
    '',
    `HTTP searches on loopback (served from the ${r.http.thread ?? 'main'} thread): ${num(r.http.requestsPerSecond)} req/s over ${r.http.durationSeconds} s, ` +
      `${r.http.connections} connections; latency p50 ${r.http.latencyMs.p50} ms, p90 ${r.http.latencyMs.p90} ms, ` +
      `p99 ${r.http.latencyMs.p99} ms; errors ${r.http.errors}, timeouts ${r.http.timeouts}, non-2xx ${r.http.non2xx}` +
      (r.http.inProcess
        ? `; the same mix in-process ${num(r.http.inProcess.searchesPerSecond)} searches/s (p99 ${r.http.inProcess.latencyMs.p99} ms), HTTP keeps ${num((r.http.ofInProcess ?? 0) * 100)}%`
        : ''),
    '',
  )
  const c = r.comparison
  const byName = (name: string) => c.competitors.find((e) => e.name === name)
  const names = ['minisearch', 'flexsearch', 'sqlite-fts5', 'brute-force']
  out.push(
    `Side by side at N=${num(c.messages)}: p99 ms, and (×) the competitor's p99 ÷ ours measured alternately beside it (above 1: ours is faster); ! = first page incomplete`,
    table(
      ['query', 'user', 'ours', ...names],
      c.ours.queries.map((q) => [
        q.label,
        q.audience,
        ms(q.filtered.p99),
        ...names.map((name) => {
          const e = byName(name)?.queries.find((x) => x.kind === q.kind && x.audience === q.audience)
          return e ? `${ms(e.latency.p99)} (${num(e.ratioP99, 1)}×)${e.complete ? '' : '!'}` : '—'
        }),
      ]),
    ),
    '',
    table(
      ['engine', 'build msg/s', 'heap B/message', 'on disk B/message'],
      [
        ['ours', num(c.ours.messagesPerSecond), num(c.ours.heapBytesPerMessage), '—'],
        ...c.competitors.map((e) => [
          e.name,
          num(e.messagesPerSecond),
          num(e.heapBytesPerMessage),
          num(e.store?.bytesPerMessage),
        ]),
      ],
    ),
    `(competitors' post-filters also read shared side tables: ${num(c.sideTableBytesPerMessage)} B/message)`,
    ...c.competitors.map((e) => `- ${e.name}: ${e.setup}`),
    ...c.competitors.flatMap((e) =>
      e.store
        ? [
            `  ${e.name} on disk, B/message: ${Object.entries(e.store.partsPerMessage)
              .map(([part, bytes]) => `${part} ${num(bytes)}`)
              .join(', ')}`,
          ]
        : [],
    ),
    ...(c.skipped ?? []).map((s) => `- ${s.name}: SKIPPED, ${s.reason}`),
    '',
    ...targetLines(r.targets),
  )
  if (r.notes.length > 0) out.push('', ...r.notes.map((n) => `note: ${n}`))
  return `${out.join('\n')}\n`
}
