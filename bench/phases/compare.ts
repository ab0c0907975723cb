/**
 * @module Side by side on one corpus: ours (through the services), naive minisearch, flexsearch,
 * SQLite FTS5 (when its bench-only peer is installed) and the brute-force scan, the same queries as
 * the same two users. Each competitor is built, measured
 * and dropped before the next, so their heaps can be told apart and never add up.
 */
import { createServices } from '../../src/services/index.ts'
import { BruteForce } from '../competitors/brute-force.ts'
import type { CompareAnswer, Competitor } from '../competitors/engine.ts'
import { FlexSearchTagged } from '../competitors/flexsearch.ts'
import { MiniSearchNaive } from '../competitors/minisearch.ts'
import { ScanCorpus } from '../competitors/scan-corpus.ts'
import { loadSqlite } from '../competitors/sqlite-driver.ts'
import { SqliteFts5 } from '../competitors/sqlite-fts5.ts'
import { type Corpus, corpusMessages } from '../corpus/index.ts'
import { bytesPer, type MemorySample, settle } from '../lib/memory.ts'
import { note, Progress } from '../lib/progress.ts'
import { type Budget, type LatencySummary, measureAlternating } from '../lib/stats.ts'
import { type MessageLatency, measureMessageQuery, messageParams } from './ours.ts'
import { pickSearchers, type Searcher } from './pick-users.ts'
import { ingestThroughPort, type PortIngest } from './port-ingest.ts'
import { type Audience, MESSAGE_QUERIES, type MessageKind } from './queries.ts'

export interface CompetitorQuery {
  kind: MessageKind
  audience: Audience
  latency: LatencySummary
  /** Ours through the services on the same query, measured alternately with it ({@link measureAlternating}). */
  ours: LatencySummary
  hits: number
  total: number | null
  /** Competitor p99 ÷ our p99 measured beside it (`ours`): above 1, ours is faster. */
  ratioP99: number
  /** Whether its first page has as many hits as the correct answer (min(20, brute-force total)). */
  complete: boolean
}

export interface CompetitorRun {
  name: Competitor['name']
  setup: string
  /** Null for the brute-force scan, which builds nothing beyond the shared side tables. */
  buildSeconds: number | null
  messagesPerSecond: number | null
  /**
   * JS heap plus typed-array buffers retained by its build (full GCs before and after), ÷ N: its
   * index for the engines that keep it in the heap; the shared side tables for the brute-force
   * scan. SQLite keeps its index in its database (`store`), so this is its JS side alone (a few
   * statements): near zero, and at small N inside the samples' noise, negative at times. Its native
   * memory (page cache, mapped pages) is in neither figure: better-sqlite3 12.11.1 has no memory
   * statistics, and builds SQLite with them off (`SQLITE_DEFAULT_MEMSTATUS=0`).
   */
  heapBytesPerMessage: number
  /** What it keeps outside the JS heap (SQLite's database file), per message; null for the others. */
  store: { bytesPerMessage: number; partsPerMessage: Record<string, number> } | null
  queries: CompetitorQuery[]
}

export interface Comparison {
  messages: number
  ours: {
    messagesPerSecond: number
    heapBytesPerMessage: number
    queries: MessageLatency[]
  }
  /** Token, recipient-set, conversation and time tables the competitors' post-filters read. */
  sideTableBytesPerMessage: number
  searchers: Searcher[]
  competitors: CompetitorRun[]
  /** Competitors that could not run here, and why (the SQLite peer is installed apart). */
  skipped: { name: Competitor['name']; reason: string }[]
}

export async function compareEngines(
  corpus: Corpus,
  ours: PortIngest,
  budgets: { ours: Budget; competitors: Budget },
): Promise<Comparison> {
  const n = corpus.config.messages
  const services = createServices({ store: ours.store, backend: ours.backend, cursorSecret: 'bench' })
  const searchers = await pickSearchers(corpus, ours.visible, services)
  const ourQueries: MessageLatency[] = []
  for (const searcher of searchers)
    for (const query of MESSAGE_QUERIES)
      ourQueries.push(await measureMessageQuery(services, ours.backend, query, searcher, budgets.ours))

  const before = settle()
  const scan = new ScanCorpus()
  for (const m of corpusMessages(corpus)) scan.add(m)
  scan.sealed()
  const scanBytes = bytesPer(before, settle(), n)
  note(`side tables for the competitors: ${scanBytes} B/message`)

  const truth = new Map<string, CompareAnswer>()
  const brute = new BruteForce(scan)
  for (const searcher of searchers)
    for (const query of MESSAGE_QUERIES)
      truth.set(key(query.kind, searcher.audience), brute.search(compareQuery(query.q, searcher)))

  const runs: CompetitorRun[] = []
  const skipped: Comparison['skipped'] = []
  const sqlite = loadSqlite()
  if ('unavailable' in sqlite) {
    skipped.push({ name: 'sqlite-fts5', reason: sqlite.unavailable })
    note(`sqlite-fts5 skipped: ${sqlite.unavailable}`)
  }
  const makers: (() => Competitor)[] = [
    () => new MiniSearchNaive(scan),
    () => new FlexSearchTagged(scan),
    ...('open' in sqlite ? [() => new SqliteFts5(sqlite.open, sqlite.version)] : []),
    () => brute,
  ]
  /** Builds (timed) and measures one competitor; its heap is what it retains beyond `before`. */
  const measureOne = async (engine: Competitor, before: MemorySample): Promise<CompetitorRun> => {
    const progress = new Progress(`build ${engine.name}`, n)
    const t = performance.now()
    if (engine !== brute) {
      let doc = 0
      for (const m of corpusMessages(corpus)) {
        engine.add(doc++, m)
        if (doc % 1000 === 0) progress.tick(1000)
      }
      engine.seal?.()
    }
    const buildSeconds = (performance.now() - t) / 1000
    progress.finish()
    const heap = engine === brute ? scanBytes : bytesPer(before, settle(), n)
    const store = engine.storeSize?.()
    const queries: CompetitorQuery[] = []
    for (const searcher of searchers)
      for (const query of MESSAGE_QUERIES) {
        const q = compareQuery(query.q, searcher)
        const answer = engine.search(q)
        // Ours again, alternating with the competitor: the same warm-up, runs, heap and neighbours.
        const params = messageParams(query, searcher)
        const { a: ours, b: latency } = await measureAlternating(
          () => services.messages.search(searcher.userId, params),
          () => engine.search(q),
          budgets.competitors,
        )
        const expected = truth.get(key(query.kind, searcher.audience))
        queries.push({
          kind: query.kind,
          audience: searcher.audience,
          latency,
          ours,
          hits: answer.hits.length,
          total: answer.total ?? null,
          ratioP99: Number((latency.p99 / ours.p99).toPrecision(3)),
          complete: answer.hits.length === Math.min(20, expected?.total ?? 0),
        })
      }
    return {
      name: engine.name,
      setup: engine.setup,
      buildSeconds: engine === brute ? null : round2(buildSeconds),
      messagesPerSecond: engine === brute ? null : Math.round(n / buildSeconds),
      heapBytesPerMessage: heap,
      store: store
        ? {
            bytesPerMessage: Math.round(store.bytes / n),
            partsPerMessage: Object.fromEntries(
              Object.entries(store.parts).map(([part, bytes]) => [part, Math.round(bytes / n)]),
            ),
          }
        : null,
      queries,
    }
  }
  for (const make of makers) {
    const before = settle()
    const engine = make()
    try {
      runs.push(await measureOne(engine, before))
      note(`${engine.name}: done`)
    } finally {
      // Its database file goes even when a query throws.
      engine.close?.()
    }
  }
  return {
    messages: n,
    ours: {
      messagesPerSecond: ours.messagesPerSecond,
      heapBytesPerMessage: ours.heapBytesPerMessage,
      queries: ourQueries,
    },
    sideTableBytesPerMessage: scanBytes,
    searchers,
    competitors: runs,
    skipped,
  }
}

/** Builds ours on a corpus of its own (when the comparison runs on a smaller N than the main run). */
export async function compareOnOwnCorpus(
  corpus: Corpus,
  budgets: { ours: Budget; competitors: Budget },
): Promise<Comparison> {
  const ours = await ingestThroughPort(corpus, `ingest (port, comparison N=${corpus.config.messages})`)
  return compareEngines(corpus, ours, budgets)
}

function compareQuery(q: string | undefined, searcher: Searcher) {
  return {
    q,
    userId: searcher.userId,
    conversationId: q === undefined ? searcher.conversationId : undefined,
  }
}

function key(kind: MessageKind, audience: Audience): string {
  return `${kind}@${audience}`
}

function round2(x: number): number {
  return Math.round(x * 100) / 100
}
