/** @module The one JSON document a run prints with `--json` and saves under `bench/results/`. */
import type { Calibration } from '../lib/calibration.ts'
import type { Machine } from '../lib/machine.ts'
import type { Comparison, CompetitorRun } from '../phases/compare.ts'
import type { HttpIngest } from '../phases/http-ingest.ts'
import type { HttpLoad } from '../phases/http-load.ts'
import type { DiscoveryLatency, MessageLatency } from '../phases/ours.ts'
import type { Searcher } from '../phases/pick-users.ts'
import type { CorpusFacts } from '../phases/port-ingest.ts'
import type { Target } from './targets.ts'

/**
 * 2: the data dir and the start-up are measured on the LMDB store `npm start` runs on.
 * 3: `calibration` (a fixed workload timed at the start and the end of the run); SQLite FTS5 among
 * the competitors when installed, with `store` (its database's bytes) and `comparison.skipped`.
 * 5: each competitor query carries `ours`, our latency measured alternately with it (same warm-up
 * and runs), and `ratioP99` is against that, not against the ours phase's figure.
 */
export const RESULT_SCHEMA = 'im-search-bench/5'

/** What every run records first: when, how big, on what. */
interface RunFacts {
  date: string
  messages: number
  seed: number
  backend: 'memory'
  machine: Machine
  /** The yardstick of this run: compare figures across runs relative to it; see lib/calibration.ts. */
  calibration: Calibration
}

export interface BenchResult extends RunFacts {
  schema: typeof RESULT_SCHEMA
  corpus: CorpusFacts & { generateSeconds: number }
  ingest: {
    port: { messagesPerSecond: number; indexSeconds: number; populationSeconds: number; batch: number }
    http: HttpIngest
    /** The same through HTTP onto the durable LMDB store `npm start` runs on. */
    httpDurable: HttpIngest
    /** Messages written to the LMDB record store, each acknowledged durable, `inFlight` at a time. */
    durable: { messagesPerSecond: number; inFlight: number }
  }
  memory: {
    heapBytesPerMessage: number
    heapUsedBytes: number
    arrayBufferBytes: number
    gcExposed: boolean
    dataDirBytes: number
    dataDirBytesPerMessage: number
    dataDirNote: string
  }
  /**
   * Fresh processes on the data dir, as `npm start`: `seconds` loads the index snapshot (every
   * start but the first), `coldSeconds` finds none, rebuilds from the records and saves one;
   * `fromMemorySeconds`: the rebuild from in-memory records alone. The started process's heap
   * (V8 heap plus typed arrays, after full GCs) and resident memory.
   */
  startup: {
    seconds: number
    coldSeconds: number
    snapshotBytes: number
    startedHeapBytesPerMessage: number
    startedRssBytes: number
    fromMemorySeconds: number
    note: string
  }
  searchers: Searcher[]
  search: { messages: MessageLatency[]; discovery: DiscoveryLatency[] }
  http: HttpLoad
  comparison: Comparison
  targets: Target[]
  notes: string[]
  totalSeconds: number
}

/** A saved result of schema 2 (before calibration and SQLite): the report still reads it. */
/** Start-up before index snapshots (schemas 2 and 3): every start rebuilt the indexes. */
type RebuildStartup = Pick<BenchResult['startup'], 'seconds' | 'fromMemorySeconds' | 'note'>

/** A saved result of schema 3 (before index snapshots). */
/** Ingest before the durable HTTP figure (schemas 2 and 3). */
type MemoryOnlyIngest = Omit<BenchResult['ingest'], 'httpDurable'> & { httpDurable?: undefined }

export type Schema3Result = Omit<BenchResult, 'schema' | 'startup' | 'ingest'> & {
  schema: 'im-search-bench/3'
  startup: RebuildStartup
  ingest: MemoryOnlyIngest
}

export type Schema2Result = Omit<
  BenchResult,
  'schema' | 'calibration' | 'comparison' | 'startup' | 'ingest'
> & {
  schema: 'im-search-bench/2'
  startup: RebuildStartup
  ingest: MemoryOnlyIngest
  calibration?: undefined
  comparison: Omit<Comparison, 'competitors' | 'skipped'> & {
    competitors: (Omit<CompetitorRun, 'store'> & { store?: undefined })[]
    skipped?: undefined
  }
}

/** What the report reads: this schema's results and schemas 2's and 3's from `bench/results/`. */
export type ReadableResult = BenchResult | Schema3Result | Schema2Result

/** The bench on a data dir (`data-dir-bench.ts`): the large-N run. */
export const DATA_DIR_RESULT_SCHEMA = 'im-search-bench-data-dir/1'

/** A fresh process's start-up on the data dir: heap (V8 heap plus typed arrays, after full GCs) and resident memory. */
interface StartupFigures {
  seconds: number
  heapBytes: number
  rssBytes: number
}

export interface DataDirResult extends RunFacts {
  schema: typeof DATA_DIR_RESULT_SCHEMA
  /** Where the data dir is (kept, to resume or re-time), its bytes on disk and its index snapshot's. */
  dataDir: { path: string; bytes: number; snapshotBytes: number }
  /** Messages this run wrote (a resumed run starts at `resumedAt`) and how long that took. */
  written: { messages: number; seconds: number; resumedAt: number }
  /** The first start (no snapshot: rebuild and save); absent when a snapshot was there already. */
  coldStartup: StartupFigures | undefined
  /** A start from the snapshot, as every later `npm start`. */
  warmStartup: StartupFigures
  startedHeapBytesPerMessage: number
  /**
   * The same process's heap after every query of the run (after full GCs): with what the indexes
   * build on first use, such as facet columns and recipient lists.
   */
  servedHeapBytesPerMessage: number
  searchers: Searcher[]
  search: { messages: MessageLatency[]; discovery: DiscoveryLatency[] }
  targets: Target[]
  totalSeconds: number
}
