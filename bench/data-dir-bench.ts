/**
 * @module The bench on a data dir, for corpora too large for the main bench, which holds its
 * corpus and an in-memory copy of the index side by side (issue 15: ten million messages).
 * Resumable: writes the corpus to an LMDB data dir as `npm start` runs on it (users, groups,
 * memberships, contacts, then every message, 1,024 writes in flight), picking up where a stopped
 * run left off (writes commit in corpus order, and inserting a stored message again changes
 * nothing); then times fresh processes starting on it: cold (no index snapshot: every index
 * rebuilt from the records, and one saved) unless a snapshot is there already, and warm (the
 * snapshot loaded); then the main bench's message and discovery queries in a process started warm
 * (`phases/latency-child.ts`); then issue 15's targets for this size.
 */
import { fileURLToPath } from 'node:url'
import { LmdbRecordStore } from '../adapters/memory/lmdb-record-store.ts'
import { corpusOf } from './corpus/index.ts'
import { compareCalibrations } from './lib/calibration.ts'
import { childReply } from './lib/child-reply.ts'
import { calibrateFresh } from './lib/fresh-calibration.ts'
import { describeMachine } from './lib/machine.ts'
import { note, Progress } from './lib/progress.ts'
import { sizeOf, startUp } from './phases/data-dir.ts'
import type { DiscoveryLatency, MessageLatency } from './phases/ours.ts'
import type { Searcher } from './phases/pick-users.ts'
import { fillStore, insertMessages } from './phases/port-ingest.ts'
import { DATA_DIR_RESULT_SCHEMA, type DataDirResult } from './report/result.ts'
import { evaluateDataDirTargets } from './report/targets.ts'

const LATENCY_CHILD = fileURLToPath(new URL('./phases/latency-child.ts', import.meta.url))

/** Writes in flight, as in the main bench's data-dir phase. */
const IN_FLIGHT = 1024

export interface DataDirBenchOptions {
  messages: number
  /** The data dir: created, or resumed where a stopped run left it. Kept after the run. */
  dir: string
  seed: number | undefined
}

export async function runDataDirBench(options: DataDirBenchOptions): Promise<DataDirResult> {
  const { messages, dir } = options
  const began = performance.now()
  const calibrationStart = await calibrateFresh()
  note(`calibration at the start: ${calibrationStart.ms.toFixed(0)} ms; data dir ${dir}`)
  const corpus = corpusOf(messages, options.seed)
  const store = new LmdbRecordStore(dir)
  const before = await store.counts()
  if (before.users < corpus.users.length || before.groups < corpus.groups.length)
    await fillStore(corpus, store, IN_FLIGHT)
  // Writes commit in the order they were made, so what is stored is a prefix of the corpus; the
  // last writes in flight are made again (a stored message is answered, not stored twice).
  const skip = Math.max(0, before.messages - IN_FLIGHT)
  const progress = new Progress('write the data dir (LMDB)', messages - skip)
  const writing = performance.now()
  await insertMessages(corpus, store, IN_FLIGHT, () => progress.tick(), skip)
  const writeSeconds = (performance.now() - writing) / 1000
  progress.finish()
  const stored = (await store.counts()).messages
  await store.close()
  if (stored !== messages) throw new Error(`the data dir holds ${stored} messages, not ${messages}`)

  const { bytes } = await sizeOf(dir)
  const hasSnapshot = await sizeOf(`${dir}/index-snapshot`).then(
    (s) => s.bytes > 0,
    () => false,
  )
  note(
    `data dir written; start-up ${hasSnapshot ? '(a snapshot is there: warm, unless it is refused)' : '(cold, then warm)'}`,
  )
  // A snapshot there may be refused (another format, behind the records): that start is the cold one.
  const first = await startUp(dir, hasSnapshot ? 'either' : 'rebuilt')
  const cold = first.mode === 'rebuilt' ? first : undefined
  const warm = cold ? await startUp(dir, 'snapshot') : first
  const snapshot = await sizeOf(`${dir}/index-snapshot`)
  note(`start-up ${warm.seconds.toFixed(2)} s from the snapshot; query latencies next`)
  const latency = (await childReply(LATENCY_CHILD, {
    name: 'the latency child',
    args: [dir, String(messages), String(corpus.config.seed)],
    asService: true,
    nodeFlags: ['--expose-gc'],
  })) as {
    searchers: Searcher[]
    messages: MessageLatency[]
    discovery: DiscoveryLatency[]
    servedHeapBytes: number
  }
  const calibration = compareCalibrations(calibrationStart, await calibrateFresh())
  note(
    `calibration at the end: ${calibration.end.ms.toFixed(0)} ms (${(calibration.spread * 100).toFixed(1)}% apart${calibration.disturbed ? ': DISTURBED' : ''})`,
  )
  const startedHeapBytesPerMessage = Math.round(warm.heapBytes / messages)
  const servedHeapBytesPerMessage = Math.round(latency.servedHeapBytes / messages)
  return {
    schema: DATA_DIR_RESULT_SCHEMA,
    date: new Date().toISOString(),
    messages,
    seed: corpus.config.seed,
    backend: 'memory',
    machine: await describeMachine(),
    calibration,
    dataDir: { path: dir, bytes, snapshotBytes: snapshot.bytes },
    written: { messages: messages - skip, seconds: Math.round(writeSeconds), resumedAt: skip },
    coldStartup: cold && { seconds: cold.seconds, heapBytes: cold.heapBytes, rssBytes: cold.rssBytes },
    warmStartup: { seconds: warm.seconds, heapBytes: warm.heapBytes, rssBytes: warm.rssBytes },
    startedHeapBytesPerMessage,
    servedHeapBytesPerMessage,
    searchers: latency.searchers,
    search: { messages: latency.messages, discovery: latency.discovery },
    targets: evaluateDataDirTargets({
      messages,
      queries: latency.messages,
      startupSeconds: warm.seconds,
      heapBytesPerMessage: startedHeapBytesPerMessage,
      servedHeapBytesPerMessage,
      rssBytes: warm.rssBytes,
    }),
    totalSeconds: Math.round((performance.now() - began) / 1000),
  }
}
