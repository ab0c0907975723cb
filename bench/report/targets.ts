/**
 * @module The issue's targets, evaluated from one run. Ratios come from the side-by-side run;
 * absolute targets are defined for 1,000,000 messages and marked not applicable below that (they
 * are still computed, for the trend).
 */
import type { Comparison } from '../phases/compare.ts'
import type { HttpLoad } from '../phases/http-load.ts'
import type { DiscoveryLatency, MessageLatency } from '../phases/ours.ts'

export interface Target {
  id: string
  description: string
  /** The measured figure the target is judged on. */
  value: number
  threshold: string
  pass: boolean
  /** False for absolute targets on a corpus smaller than 1,000,000 messages. */
  applicable: boolean
  detail: string
}

export const FULL_SCALE = 1_000_000
/** Noise allowance for "never slower than unfiltered": 5% or 0.05 ms, whichever is larger. */
const NOISE = { share: 0.05, ms: 0.05 }

export interface TargetInput {
  messages: number
  queries: MessageLatency[]
  discovery: DiscoveryLatency[]
  comparison: Comparison
  ingestPerSecond: number
  durableHttpIngestPerSecond: number
  heapBytesPerMessage: number
  startupSeconds: number
  http: HttpLoad
}

/** Issue 15's start-up bound: 3 s up to a million messages, then growing with the data to 30 s at ten million. */
function startupLimit(messages: number): number {
  return Math.max(3, (3 * messages) / FULL_SCALE)
}

export function evaluateTargets(input: TargetInput): Target[] {
  const { comparison } = input
  const full = input.messages >= FULL_SCALE
  const competitor = (name: string) => comparison.competitors.find((c) => c.name === name)
  const mini = competitor('minisearch')?.queries.filter((q) => q.audience === '1%') ?? []
  const miniMin = Math.min(...mini.map((q) => q.ratioP99))
  const flex = competitor('flexsearch')?.queries ?? []
  const flexMin = Math.min(...flex.map((q) => q.ratioP99))
  // Like for like: both straight on the backend, the permission filter the only difference.
  const worstFilter = input.queries.reduce(
    (worst, q) => {
      const ratio = q.backendFiltered.p99 / q.unfiltered.p99
      return ratio > worst.ratio ? { ratio, q } : worst
    },
    { ratio: 0, q: undefined as MessageLatency | undefined },
  )
  const withinNoise = input.queries.every(
    (q) =>
      q.backendFiltered.p99 <= Math.max(q.unfiltered.p99 * (1 + NOISE.share), q.unfiltered.p99 + NOISE.ms),
  )
  const isIm = (q: MessageLatency) => q.kind === 'conversations' || q.kind === 'four-facets'
  const im = input.queries.filter(isIm).map((q) => ({ name: `${q.kind}@${q.audience}`, p99: q.filtered.p99 }))
  const slowestIm = im.reduce((a, b) => (b.p99 > a.p99 ? b : a), { name: 'none', p99: 0 })
  const p99s = [
    ...input.queries
      .filter((q) => !isIm(q))
      .map((q) => ({ name: `${q.kind}@${q.audience}`, p99: q.filtered.p99 })),
    ...input.discovery.map((d) => ({ name: d.kind, p99: d.latency.p99 })),
  ]
  const slowest = p99s.reduce((a, b) => (b.p99 > a.p99 ? b : a))
  const at = (name: string) => `${name} (slowest of ${p99s.length} query kinds)`
  return [
    {
      id: 'vs-minisearch-1pct',
      description:
        'permission-filtered p99 ≥ 10× faster than minisearch + post-filter, 1% user, every query kind',
      value: round(miniMin),
      threshold: '≥ 10',
      pass: miniMin >= 10,
      applicable: mini.length > 0,
      detail: `lowest ratio at N=${comparison.messages}: ${mini.map((q) => `${q.kind} ${q.ratioP99}×`).join(', ')}`,
    },
    {
      id: 'vs-unfiltered',
      description:
        'permission-filtered p99 never slower than our own unfiltered search (same query, both on the backend)',
      value: round(worstFilter.ratio),
      threshold: `filtered ÷ unfiltered p99 ≤ 1 (noise: ${NOISE.share * 100}% or ${NOISE.ms} ms)`,
      pass: withinNoise,
      applicable: true,
      detail: worstFilter.q
        ? `worst: ${worstFilter.q.kind}@${worstFilter.q.audience} ${worstFilter.q.backendFiltered.p99} ms vs ${worstFilter.q.unfiltered.p99} ms unfiltered (${worstFilter.q.filtered.p99} ms through the services)`
        : 'no query',
    },
    {
      id: 'vs-flexsearch',
      description:
        'permission-filtered p99 no slower than flexsearch with recipient tags, every query kind and user',
      value: round(flexMin),
      threshold: 'flexsearch ÷ ours p99 ≥ 1',
      pass: flexMin >= 1,
      applicable: flex.length > 0,
      detail: flex.map((q) => `${q.kind}@${q.audience} ${q.ratioP99}×`).join(', '),
    },
    {
      id: 'p99-20ms',
      description: 'p99 under 20 ms for every query kind (messages as both users, discovery)',
      value: slowest.p99,
      threshold: '< 20 ms',
      pass: slowest.p99 < 20,
      applicable: full,
      detail: at(slowest.name),
    },
    {
      id: 'p99-50ms-im',
      description:
        'issue 13: p99 under 50 ms for conversation search and a four-facet message search, 1% and 10% users',
      value: slowestIm.p99,
      threshold: '< 50 ms',
      pass: slowestIm.p99 < 50,
      applicable: full && im.length > 0,
      detail: `${slowestIm.name} (slowest of ${im.length})`,
    },
    {
      id: 'ingest-port',
      description: 'ingest through the port over 50,000 messages/s (issue 15)',
      value: input.ingestPerSecond,
      threshold: '> 50,000 msg/s',
      pass: input.ingestPerSecond > 50_000,
      applicable: full,
      detail: 'documents built with src/services/documents.ts, backend.index in batches of 500',
    },
    {
      id: 'ingest-http-durable',
      description: 'durable ingest over HTTP over 20,000 messages/s (issue 15)',
      value: input.durableHttpIngestPerSecond,
      threshold: '> 20,000 msg/s',
      pass: input.durableHttpIngestPerSecond > 20_000,
      applicable: full,
      detail: 'POST /v1/messages/batch, 500 a request, one client, onto the LMDB store npm start runs on',
    },
    heapTarget(input.heapBytesPerMessage, full),
    startupTarget(input.messages, input.startupSeconds, full),
    {
      id: 'http-searches',
      description: 'over 3,000 searches/s over HTTP at p99 under 50 ms, no errors',
      value: input.http.requestsPerSecond,
      threshold: '> 3,000 req/s, p99 < 50 ms, 0 errors',
      pass:
        input.http.requestsPerSecond > 3000 &&
        input.http.latencyMs.p99 < 50 &&
        input.http.errors === 0 &&
        input.http.non2xx === 0,
      applicable: full,
      detail: `p99 ${input.http.latencyMs.p99} ms, errors ${input.http.errors}, non-2xx ${input.http.non2xx}, ${input.http.connections} connections`,
    },
    {
      id: 'http-vs-in-process',
      description:
        'the search mix over HTTP keeps at least 70% of the throughput of the services called in-process, on the same cores',
      value: input.http.ofInProcess ?? Number.NaN,
      threshold: 'HTTP ÷ in-process ≥ 0.7',
      pass: (input.http.ofInProcess ?? 0) >= 0.7,
      // Judged at 1M like the other HTTP target: the service's share of a request grows with N.
      applicable: full && input.http.inProcess !== undefined,
      detail: input.http.inProcess
        ? `${input.http.requestsPerSecond} req/s over HTTP, ${input.http.inProcess.searchesPerSecond} searches/s in-process (p99 ${input.http.inProcess.latencyMs.p99} ms), ${input.http.connections} callers each`
        : 'not measured',
    },
  ]
}

const STARTED_HEAP =
  'JS heap plus typed-array buffers of the whole started process (every index), after full GCs'

function heapTarget(bytesPerMessage: number, applicable: boolean, detail = STARTED_HEAP): Target {
  return {
    id: 'heap-per-message',
    description: 'under 400 B of heap per message in a service started from the data dir (issue 15)',
    value: bytesPerMessage,
    threshold: '< 400 B',
    pass: bytesPerMessage < 400,
    applicable,
    detail,
  }
}

function startupTarget(messages: number, seconds: number, applicable: boolean): Target {
  const limit = startupLimit(messages)
  return {
    id: 'startup',
    description: `start-up under ${limit} s on the N-message data dir (issue 15: 3 s at 1M, 30 s at 10M)`,
    value: seconds,
    threshold: `< ${limit} s`,
    pass: seconds < limit,
    applicable,
    detail:
      'a fresh process opening the LMDB data dir and loading the index snapshot, as every `npm start` after the first does',
  }
}

/** Issue 15's scale: its targets at ten million messages. */
export const TEN_MILLION = 10_000_000
const RSS_LIMIT_BYTES = 12 * 2 ** 30

export interface DataDirTargetInput {
  messages: number
  queries: MessageLatency[]
  startupSeconds: number
  heapBytesPerMessage: number
  /** After every query of the run: with what the indexes build on first use. */
  servedHeapBytesPerMessage: number
  rssBytes: number
}

/**
 * Issue 15's targets for the bench on a data dir: start-up, heap and, at ten million messages,
 * resident memory under 12 GB and every message query kind's p99 under 50 ms (1% and 10% users).
 */
export function evaluateDataDirTargets(input: DataDirTargetInput): Target[] {
  const full = input.messages >= FULL_SCALE
  const tenMillion = input.messages >= TEN_MILLION
  const slowest = input.queries.reduce((a, b) => (b.filtered.p99 > a.filtered.p99 ? b : a))
  return [
    startupTarget(input.messages, input.startupSeconds, full),
    heapTarget(
      Math.max(input.heapBytesPerMessage, input.servedHeapBytesPerMessage),
      full,
      `${STARTED_HEAP}, and after every query of the run (the larger: started ${input.heapBytesPerMessage} B, after the queries ${input.servedHeapBytesPerMessage} B)`,
    ),
    {
      id: 'rss-10m',
      description: 'resident memory of the started service under 12 GB at ten million messages (issue 15)',
      value: Math.round((input.rssBytes / 2 ** 30) * 100) / 100,
      threshold: '< 12 GiB',
      pass: input.rssBytes < RSS_LIMIT_BYTES,
      applicable: tenMillion,
      detail: 'the whole process started from the data dir, snapshot loaded',
    },
    {
      id: 'p99-50ms-10m',
      description:
        'p99 under 50 ms at ten million messages for every message query kind, 1% and 10% users (issue 15)',
      value: slowest.filtered.p99,
      threshold: '< 50 ms',
      pass: slowest.filtered.p99 < 50,
      applicable: tenMillion,
      detail: `${slowest.kind}@${slowest.audience} (slowest of ${input.queries.length})`,
    },
  ]
}

function round(x: number): number {
  return Math.round(x * 100) / 100
}
