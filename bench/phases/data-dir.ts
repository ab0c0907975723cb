/**
 * @module The durable store: the corpus written to the LMDB record store that `npm start` runs on
 * (users, groups, final memberships, direct chats as contacts, every message), in a temporary
 * directory; its size on disk; then the real start-ups, each a fresh process (`startup-child.ts`,
 * with `npm start`'s Node flags): the first finds no index snapshot, rebuilds every index from the
 * records and saves one (cold); the second loads that snapshot (warm, what every later start does).
 */
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { LmdbRecordStore } from '../../adapters/memory/lmdb-record-store.ts'
import type { Corpus } from '../corpus/index.ts'
import { childReply } from '../lib/child-reply.ts'
import { Progress } from '../lib/progress.ts'
import { fillStore, insertMessages } from './port-ingest.ts'

/** Writes in flight: a busy service's concurrent requests, which lmdb-js commits together. */
const IN_FLIGHT = 1024

export interface DataDir {
  /** Writes in flight while the data dir was written. */
  inFlight: number
  /** Allocated on disk (blocks), all files of the data dir. */
  bytes: number
  /** The files' lengths (LMDB's map file may be larger than what it holds). */
  apparentBytes: number
  bytesPerMessage: number
  /** Messages written to the store per second, `IN_FLIGHT` at a time, each acknowledged durable. */
  writeMessagesPerSecond: number
  /** Opening the data dir and loading the index snapshot (warm start). */
  startupSeconds: number
  /** Opening the data dir with no snapshot: rebuilding every index and saving one (cold start). */
  coldStartupSeconds: number
  /** The index snapshot on disk (blocks allocated). */
  snapshotBytes: number
  /** Heap and typed arrays the warm-started process holds, after full GCs, per message. */
  startedHeapBytesPerMessage: number
  /** The warm-started process's resident memory. */
  startedRssBytes: number
}

export async function measureDataDir(corpus: Corpus): Promise<DataDir> {
  const dir = await mkdtemp(join(tmpdir(), 'im-search-bench-data-'))
  try {
    const writer = new LmdbRecordStore(dir)
    await fillStore(corpus, writer, IN_FLIGHT)
    const progress = new Progress('write the data dir (LMDB)', corpus.config.messages)
    const began = performance.now()
    await insertMessages(corpus, writer, IN_FLIGHT, () => progress.tick())
    const writeSeconds = (performance.now() - began) / 1000
    progress.finish()
    await writer.close()
    const { bytes, apparentBytes } = await sizeOf(dir)

    const n = corpus.config.messages
    const cold = await startUp(dir, 'rebuilt')
    const warm = await startUp(dir, 'snapshot')
    // A start-up that indexed less than the corpus would time the wrong thing.
    for (const { indexed } of [cold, warm])
      if (indexed.messages !== n) throw new Error(`start-up indexed ${indexed.messages} of ${n} messages`)
    const snapshot = await sizeOf(join(dir, 'index-snapshot'))
    return {
      inFlight: IN_FLIGHT,
      bytes,
      apparentBytes,
      bytesPerMessage: Math.round(bytes / n),
      writeMessagesPerSecond: Math.round(n / writeSeconds),
      startupSeconds: Math.round(warm.seconds * 1000) / 1000,
      coldStartupSeconds: Math.round(cold.seconds * 1000) / 1000,
      snapshotBytes: snapshot.bytes,
      startedHeapBytesPerMessage: Math.round(warm.heapBytes / n),
      startedRssBytes: warm.rssBytes,
    }
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

const CHILD = fileURLToPath(new URL('./startup-child.ts', import.meta.url))

export interface StartUp {
  seconds: number
  mode: string
  reason?: string
  indexed: Record<string, number>
  heapBytes: number
  rssBytes: number
}

/**
 * A fresh process's start-up on the data dir, with the Node flags `npm start` gives the service
 * (`src/cli/start.ts`); it must start the way `expected` says (`either`: whichever the snapshot
 * there allows), or it timed something else.
 */
export async function startUp(dir: string, expected: 'rebuilt' | 'snapshot' | 'either'): Promise<StartUp> {
  const reply = (await childReply(CHILD, {
    name: 'the start-up child',
    args: [dir],
    asService: true,
    nodeFlags: ['--expose-gc'],
  })) as StartUp
  if (expected !== 'either' && reply.mode !== expected)
    throw new Error(
      `the start-up child ${reply.mode} (${reply.reason ?? ''}) where it should have ${expected}`,
    )
  return reply
}

export async function sizeOf(dir: string): Promise<{ bytes: number; apparentBytes: number }> {
  let bytes = 0
  let apparentBytes = 0
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue
    const s = await stat(join(entry.parentPath, entry.name))
    bytes += s.blocks * 512
    apparentBytes += s.size
  }
  return { bytes, apparentBytes }
}
