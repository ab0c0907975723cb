/**
 * @module What an index snapshot costs and saves (issue 15): writes a data dir of the bench
 * corpus, then in a fresh process (with `npm start`'s flags) rebuilds every index from it as
 * start-up does today and saves a snapshot (capture: the event loop held; write: the whole save);
 * then in another fresh process loads the snapshot. Reports both start-ups, the snapshot's bytes
 * and the heap (plus typed arrays) each leaves. Run:
 * `node --import tsx bench/profile/index-snapshot.ts 200000`
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createMemoryBackend } from '../../adapters/memory/index.ts'
import { LmdbRecordStore } from '../../adapters/memory/lmdb-record-store.ts'
import { serviceFlags } from '../../src/cli/start.ts'
import type { SnapshotLoad, SnapshotSaved } from '../../src/ports/index-snapshots.ts'
import { buildIndexes } from '../../src/services/index-builder.ts'
import { machineMemory } from '../../src/services/memory-budget.ts'
import { corpusOf } from '../corpus/index.ts'
import { childReply } from '../lib/child-reply.ts'
import { settle } from '../lib/memory.ts'
import { fillStore, insertMessages } from '../phases/port-ingest.ts'

interface SaveReply {
  rebuildSeconds: number
  indexed: Record<string, number>
  heapBytes: number
  saves: SnapshotSaved[]
}

interface LoadReply {
  load: SnapshotLoad
  seconds: number
  documents: number
  heapBytes: number
}

/** Heap plus typed arrays after full collections, once freed array buffers are released too. */
async function held(): Promise<number> {
  settle()
  await new Promise((resolve) => setTimeout(resolve, 200))
  const m = settle()
  return m.heapUsed + m.arrayBuffers
}

/** In a fresh process: rebuild from the records, then save twice (the second as a periodic save would). */
async function rebuildAndSave(dataDir: string, snapshotDir: string): Promise<SaveReply> {
  const base = await held()
  const began = performance.now()
  const store = new LmdbRecordStore(dataDir)
  const backend = createMemoryBackend({ snapshotDir })
  const indexed = await buildIndexes(store, backend)
  const rebuildSeconds = (performance.now() - began) / 1000
  await store.close()
  const heapBytes = (await held()) - base
  const saves: SnapshotSaved[] = []
  for (let i = 0; i < 2; i++)
    saves.push((await backend.snapshots?.save({ storeId: 'bench', covered: i })) as SnapshotSaved)
  return { rebuildSeconds, indexed, heapBytes, saves }
}

async function load(snapshotDir: string): Promise<LoadReply> {
  const base = await held()
  const began = performance.now()
  const backend = createMemoryBackend({ snapshotDir })
  const result = (await backend.snapshots?.load()) as SnapshotLoad
  const seconds = (performance.now() - began) / 1000
  const documents = (await backend.stats('messages')).documents
  return { load: result, seconds, documents, heapBytes: (await held()) - base }
}

async function main(): Promise<void> {
  const [mode, from, to] = process.argv.slice(2)
  if (mode === '--save' || mode === '--load') {
    const reply =
      mode === '--save' ? await rebuildAndSave(from as string, to as string) : await load(to as string)
    process.send?.(reply, () => process.exit(0))
    return
  }
  const n = Number(mode ?? 200_000)
  const corpus = corpusOf(n)
  const dir = await mkdtemp(join(tmpdir(), 'im-search-index-snapshot-'))
  const dataDir = join(dir, 'data')
  const snapshots = join(dir, 'index-snapshots')
  const nodeFlags = ['--expose-gc', ...serviceFlags(process.env.NODE_OPTIONS, machineMemory())]
  try {
    const writer = new LmdbRecordStore(dataDir)
    await fillStore(corpus, writer, 1024)
    await insertMessages(corpus, writer, 1024)
    await writer.close()
    const module = fileURLToPath(import.meta.url)
    const saved = (await childReply(module, {
      name: 'the rebuild-and-save child',
      args: ['--save', dataDir, snapshots],
      nodeFlags,
    })) as SaveReply
    const loaded = (await childReply(module, {
      name: 'the load child',
      args: ['--load', dataDir, snapshots],
      nodeFlags,
    })) as LoadReply
    const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`
    const ms = (x: number) => `${Math.round(x)} ms`
    const out = [
      `${n} messages (${JSON.stringify(saved.indexed)})`,
      `rebuild from the records: ${saved.rebuildSeconds.toFixed(2)} s, heap + typed arrays ${mb(saved.heapBytes)}`,
      ...saved.saves.map(
        (s, i) => `save ${i + 1}: capture ${ms(s.captureMs)}, whole ${ms(s.ms)}, ${mb(s.bytes)} on disk`,
      ),
      `load: ${loaded.seconds.toFixed(2)} s (${JSON.stringify({ ...loaded.load, marker: undefined })}), ` +
        `${loaded.documents} messages, heap + typed arrays ${mb(loaded.heapBytes)}`,
    ]
    process.stdout.write(`${out.join('\n')}\n`)
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

await main()
