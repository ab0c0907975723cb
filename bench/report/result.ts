/** @module The one JSON document a run prints with `--json` and saves under `bench/results/`. */
import type { Machine } from '../lib/machine.ts'
import type { Comparison } from '../phases/compare.ts'
import type { HttpIngest } from '../phases/http-ingest.ts'
import type { HttpLoad } from '../phases/http-load.ts'
import type { DiscoveryLatency, MessageLatency } from '../phases/ours.ts'
import type { Searcher } from '../phases/pick-users.ts'
import type { CorpusFacts } from '../phases/port-ingest.ts'
import type { Target } from './targets.ts'

export const RESULT_SCHEMA = 'im-search-bench/1'

export interface BenchResult {
  schema: typeof RESULT_SCHEMA
  date: string
  messages: number
  seed: number
  backend: 'memory'
  machine: Machine
  corpus: CorpusFacts & { generateSeconds: number }
  ingest: {
    port: { messagesPerSecond: number; indexSeconds: number; populationSeconds: number; batch: number }
    http: HttpIngest
  }
  memory: {
    heapBytesPerMessage: number
    heapUsedBytes: number
    arrayBufferBytes: number
    gcExposed: boolean
    dataDirBytes: number | null
    dataDirNote: string
  }
  startup: { seconds: number; note: string }
  searchers: Searcher[]
  search: { messages: MessageLatency[]; discovery: DiscoveryLatency[] }
  http: HttpLoad
  comparison: Comparison
  targets: Target[]
  notes: string[]
  totalSeconds: number
}
