/**
 * @module What an index snapshot costs and saves (issue 15): writes a data dir of the bench
 * corpus, then in a fresh process (with `npm start`'s flags) rebuilds every index from it as
 * start-up does today and saves a snapshot (capture: the event loop held; write: the whole save);
 * then in another fresh process loads the snapshot. Reports both start-ups, the snapshot's bytes
 * and the heap (plus typed arrays) each leaves. Run:
 * `node --import ./loader/register.mjs bench/profile/index-snapshot.ts 200000 [--keep DIR]`: `--keep` writes the
 * data dir and snapshot to DIR and leaves them there; then
 * `node --import ./loader/register.mjs bench/profile/index-snapshot.ts --loads DIR [RUNS] [NODE FLAG…]` only loads
 * DIR's snapshot, RUNS times, each in a fresh process (extra Node flags, e.g. `--cpu-prof`, go
 * to those processes), and reports each load. With `LOAD_PROFILE=file.cpuprofile` the load child
 * writes a CPU profile of the load alone (`summarize-profile.ts` reads it).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { Session } from 'node:inspector/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createMemoryBackend } from '../../adapters/memory/index.ts'
import { LmdbRecordStore } from '../../adapters/memory/lmdb-record-store.ts'
import type { SnapshotLoad, SnapshotSaved } from '../../src/ports/index-snapshots.ts'
import { buildIndexes } from '../../src/services/index-builder.ts'
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
  /** CPU seconds of the whole process (every thread: GC helpers too): steadier on a busy machine. */
  cpuSeconds: number
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

/**
 * Runs `fn` under the CPU profiler when `LOAD_PROFILE` names a file (the profile is written
 * there): only the load, not the process's start or the heap measurements around it.
 */
async function profiled<T>(fn: () => Promise<T>): Promise<T> {
  const file = process.env.LOAD_PROFILE
  if (!file) return fn()
  const session = new Session()
  session.connect()
  await session.post('Profiler.enable')
  await session.post('Profiler.setSamplingInterval', { interval: 200 })
  await session.post('Profiler.start')
  try {
    return await fn()
  } finally {
    const { profile } = await session.post('Profiler.stop')
    await writeFile(file, JSON.stringify(profile))
    session.disconnect()
  }
}

async function load(snapshotDir: string): Promise<LoadReply> {
  const base = await held()
  const began = performance.now()
  const cpu = process.cpuUsage()
  const backend = createMemoryBackend({ snapshotDir })
  const result = (await profiled(async () => backend.snapshots?.load())) as SnapshotLoad
  const seconds = (performance.now() - began) / 1000
  const { user, system } = process.cpuUsage(cpu)
  const cpuSeconds = (user + system) / 1e6
  const documents = (await backend.stats('messages')).documents
  return { load: result, seconds, cpuSeconds, documents, heapBytes: (await held()) - base }
}

const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`

function describeLoad(loaded: LoadReply): string {
  return (
    `load: ${loaded.seconds.toFixed(2)} s, CPU ${loaded.cpuSeconds.toFixed(2)} s ` +
    `(${JSON.stringify({ ...loaded.load, marker: undefined })}), ` +
    `${loaded.documents} messages, heap + typed arrays ${mb(loaded.heapBytes)}`
  )
}

/** Loads `dir`'s snapshot `runs` times, each in a fresh process with `extraFlags` too. */
async function loadsOnly(dir: string, runs: number, extraFlags: string[]): Promise<void> {
  const nodeFlags = ['--expose-gc', ...extraFlags]
  for (let run = 0; run < runs; run++) {
    const loaded = (await childReply(fileURLToPath(import.meta.url), {
      name: 'the load child',
      args: ['--load', join(dir, 'data'), join(dir, 'index-snapshots')],
      asService: true,
      nodeFlags,
    })) as LoadReply
    process.stdout.write(`${describeLoad(loaded)}\n`)
  }
}

async function main(): Promise<void> {
  const [mode, from, to, ...rest] = process.argv.slice(2)
  if (mode === '--save' || mode === '--load') {
    const reply =
      mode === '--save' ? await rebuildAndSave(from as string, to as string) : await load(to as string)
    // Run by hand (no IPC channel, e.g. with `--trace-gc`): the reply goes to stdout.
    if (process.send) process.send(reply, () => process.exit(0))
    else process.stdout.write(`${JSON.stringify(reply)}\n`)
    return
  }
  if (mode === '--loads') return loadsOnly(from as string, Number(to ?? 3), rest)
  const n = Number(mode ?? 200_000)
  const corpus = corpusOf(n)
  const kept = from === '--keep' ? to : undefined
  const dir = kept ?? (await mkdtemp(join(tmpdir(), 'im-search-index-snapshot-')))
  const dataDir = join(dir, 'data')
  const snapshots = join(dir, 'index-snapshots')
  const nodeFlags = ['--expose-gc']
  try {
    const writer = new LmdbRecordStore(dataDir)
    await fillStore(corpus, writer, 1024)
    await insertMessages(corpus, writer, 1024)
    await writer.close()
    const module = fileURLToPath(import.meta.url)
    const saved = (await childReply(module, {
      name: 'the rebuild-and-save child',
      args: ['--save', dataDir, snapshots],
      asService: true,
      nodeFlags,
    })) as SaveReply
    const loaded = (await childReply(module, {
      name: 'the load child',
      args: ['--load', dataDir, snapshots],
      asService: true,
      nodeFlags,
    })) as LoadReply
    const ms = (x: number) => `${Math.round(x)} ms`
    const out = [
      `${n} messages (${JSON.stringify(saved.indexed)})`,
      `rebuild from the records: ${saved.rebuildSeconds.toFixed(2)} s, heap + typed arrays ${mb(saved.heapBytes)}`,
      ...saved.saves.map(
        (s, i) => `save ${i + 1}: capture ${ms(s.captureMs)}, whole ${ms(s.ms)}, ${mb(s.bytes)} on disk`,
      ),
      describeLoad(loaded),
    ]
    process.stdout.write(`${out.join('\n')}\n`)
  } finally {
    if (!kept) await rm(dir, { recursive: true, force: true })
  }
}

await main()
