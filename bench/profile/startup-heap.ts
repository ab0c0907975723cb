/**
 * @module The heap a start-up from a data dir leaves and the most it held on the way (issue 15):
 * what `src/services/memory-budget.ts` estimates from the bench's per-message figure (856 B, an
 * index filled through the port from the generated corpus, whose strings it shares) plus a
 * quarter of headroom. Writes a data dir of the bench corpus, then starts a fresh process on it
 * with `npm start`'s flags and `--expose-gc`, rebuilding every index as `src/main.ts` does, and
 * samples the heap (plus typed-array buffers) before each page indexed. Run:
 * `node --import ./loader/register.mjs bench/profile/startup-heap.ts 100000`
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createMemoryBackend } from '../../adapters/memory/index.ts'
import { LmdbRecordStore } from '../../adapters/memory/lmdb-record-store.ts'
import type { SearchBackend } from '../../src/ports/search-backend.ts'
import { buildIndexes } from '../../src/services/index-builder.ts'
import { corpusOf } from '../corpus/index.ts'
import { childReply } from '../lib/child-reply.ts'
import { settle } from '../lib/memory.ts'
import { fillStore, insertMessages } from '../phases/port-ingest.ts'

interface Reply {
  counts: Record<string, number>
  messages: number
  settledBytes: number
  peakBytes: number
  /** Settled bytes each index added, in the order they were built. */
  byIndex: Record<string, number>
  /** What the engine reports for each index on `/metrics` (`memoryUsage()`), summed over parts. */
  reported: Record<string, number>
}

const inUse = () => {
  const m = process.memoryUsage()
  return m.heapUsed + m.arrayBuffers
}

/** In the fresh process: rebuild from `dir`, sampling before every page. */
async function measure(dir: string): Promise<Reply> {
  const before = settle()
  const base = before.heapUsed + before.arrayBuffers
  let peak = 0
  const byIndex: Record<string, number> = {}
  let current: string | undefined
  let mark = base
  // Settled at each change of index (a handful of full collections): what each index holds.
  const boundary = (next: string | undefined) => {
    if (current === next) return
    const now = settle()
    if (current !== undefined) byIndex[current] = now.heapUsed + now.arrayBuffers - mark
    mark = now.heapUsed + now.arrayBuffers
    current = next
  }
  const backend = createMemoryBackend()
  const sampling: Pick<SearchBackend, 'index'> = {
    async index(index, documents) {
      boundary(index)
      peak = Math.max(peak, inUse() - base)
      await backend.index(index, documents)
    },
  }
  const store = new LmdbRecordStore(dir)
  // buildIndexes only indexes.
  const counts = await buildIndexes(store, sampling as SearchBackend)
  boundary(undefined)
  await store.close()
  const after = settle()
  const settledBytes = after.heapUsed + after.arrayBuffers - base
  const reported: Record<string, number> = {}
  for (const { index, bytes } of backend.memoryUsage?.() ?? [])
    reported[index] = (reported[index] ?? 0) + bytes
  return {
    counts,
    messages: counts.messages,
    settledBytes,
    peakBytes: Math.max(peak, settledBytes),
    byIndex,
    reported,
  }
}

async function main(): Promise<void> {
  if (process.argv[2] === '--measure') {
    const reply = await measure(process.argv[3] as string)
    process.send?.(reply, () => process.exit(0))
    return
  }
  const n = Number(process.argv[2] ?? 100_000)
  const corpus = corpusOf(n)
  const dir = await mkdtemp(join(tmpdir(), 'im-search-startup-heap-'))
  try {
    const writer = new LmdbRecordStore(dir)
    await fillStore(corpus, writer, 1024)
    await insertMessages(corpus, writer, 1024)
    await writer.close()
    const reply = (await childReply(fileURLToPath(import.meta.url), {
      name: 'the start-up heap child',
      args: ['--measure', dir],
      asService: true,
      nodeFlags: ['--expose-gc'],
    })) as Reply
    const per = (bytes: number) => Math.round(bytes / reply.messages)
    process.stdout.write(
      `${reply.messages} messages (with ${corpus.users.length} users, their groups and contacts): ` +
        `settled ${per(reply.settledBytes)} B/message, peak while indexing ${per(reply.peakBytes)} B/message ` +
        '(garbage not yet collected included)\n',
    )
    for (const [index, bytes] of Object.entries(reply.byIndex))
      process.stdout.write(
        `  ${index.padEnd(10)} ${per(bytes)} B/message, ${Math.round(bytes / (reply.counts[index] ?? 1))} B per ${reply.counts[index]} records; /metrics says ${per(reply.reported[index] ?? 0)} B/message\n`,
      )
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

await main()
