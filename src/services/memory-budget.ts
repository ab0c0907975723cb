/**
 * @module Whether a data dir's in-memory indexes fit the memory this process may use, decided at
 * start before anything is loaded. Without it a data dir too large for the heap is found out
 * minutes into the rebuild, by a V8 heap-limit abort (issue 15: 6M messages, ten minutes, exit
 * 134); with it the service refuses at once and says how much memory it needs and how to give it.
 * Backend-neutral: the backend supplies its bytes per record, the store its record counts.
 */
import { totalmem } from 'node:os'
import { getHeapStatistics } from 'node:v8'
import type { RecordKind } from '../ports/record-store.ts'

export type RecordCounts = Record<RecordKind, number>

/** What one record of each kind costs an in-memory index (heap and typed arrays together). */
export type BytesPerRecord = Record<RecordKind, number>

/** What this process may use, in bytes. */
export interface MemoryLimits {
  /** V8's heap limit (`heap_size_limit`), set by `--max-old-space-size`. */
  heapLimit: number
  /** The machine's memory, or the container's (cgroup) limit when lower. */
  machine: number
}

const MIB = 1024 * 1024

/** Code, HTTP, caches and a first page of garbage: what a service with an empty data dir holds. */
export const BASE_BYTES = 256 * MIB

/**
 * Room above the indexes' settled size: a rebuild leaves garbage behind it (decoded rows, grown
 * arrays' old copies) and V8 collects well before the limit only with room to spare.
 */
export const HEADROOM = 1.25

/**
 * The share of the machine's memory `npm start` gives the V8 heap. The rest holds what lives
 * outside it: typed arrays' buffers, LMDB's memory-mapped pages (evictable cache), the OS.
 */
export const HEAP_SHARE = 0.75

/** Bytes the indexes of a data dir holding `counts` records need, headroom and base included. */
export function requiredBytes(counts: RecordCounts, perRecord: BytesPerRecord): number {
  let indexes = 0
  for (const kind of Object.keys(counts) as RecordKind[]) indexes += counts[kind] * perRecord[kind]
  return Math.ceil(indexes * HEADROOM + BASE_BYTES)
}

/**
 * The machine's memory, or the cgroup's limit when lower. Node reports "no limit" as a huge
 * number (2^64) or as 0 depending on the version, so either falls back to the machine's.
 */
export function machineMemory(total = totalmem(), constrained: number = process.constrainedMemory()): number {
  return constrained > 0 && constrained < total ? constrained : total
}

/** The heap, in MiB for `--max-old-space-size`, that `npm start` gives the service on a machine of `machine` bytes. */
export function heapMegabytesFor(machine: number): number {
  return Math.floor((machine * HEAP_SHARE) / MIB)
}

/** This process's limits. */
export function currentLimits(): MemoryLimits {
  return { heapLimit: getHeapStatistics().heap_size_limit, machine: machineMemory() }
}

/**
 * The data dir needs more memory than this process may use. Its message says how much, and how
 * to give it: a larger heap when the machine has the memory, a larger machine when not.
 */
export class InsufficientMemoryError extends Error {
  override readonly name = 'InsufficientMemoryError'
}

/**
 * Throws {@link InsufficientMemoryError} unless `required` bytes fit both the heap limit and the
 * heap `npm start` would give on this machine; returns `required`. The whole estimate is held
 * against the heap limit although typed arrays live outside it: they are a tenth of it (the
 * bench's 1M run: 102 MB of 856 MB) and it is safer to ask for too much than to abort later.
 */
export function assertMemoryFits(required: number, limits: MemoryLimits): number {
  const machineHeap = heapMegabytesFor(limits.machine) * MIB
  const needed = `the data dir's indexes need about ${gigabytes(required)} of memory`
  if (required > machineHeap)
    throw new InsufficientMemoryError(
      `[im-search] ${needed}, more than this machine can give: it has ${gigabytes(limits.machine)}, of ` +
        `which the heap may take ${gigabytes(machineHeap)} (${HEAP_SHARE * 100}%). Run it on a machine ` +
        `with at least ${gigabytes(Math.ceil(required / HEAP_SHARE))} of memory, or use the Tablestore backend.`,
    )
  if (required > limits.heapLimit)
    throw new InsufficientMemoryError(
      `[im-search] ${needed}, more than the heap limit of ${gigabytes(limits.heapLimit)}. ` +
        'Start it with `npm start`, which sizes the heap to the machine, or give Node a larger heap: ' +
        `NODE_OPTIONS=--max-old-space-size=${Math.ceil(required / MIB)}.`,
    )
  return required
}

function gigabytes(bytes: number): string {
  return `${(bytes / 1024 ** 3).toFixed(1)} GiB`
}
