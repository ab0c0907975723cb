/**
 * @module Heap accounting. Typed arrays keep their bytes outside the JS heap (`arrayBuffers`), so
 * an index's size is the heap plus those; both are read after full collections (`--expose-gc`).
 */
export interface MemorySample {
  heapUsed: number
  arrayBuffers: number
  /** Whether `global.gc` ran before sampling; without it figures include garbage. */
  collected: boolean
}

export function settle(): MemorySample {
  const gc = (globalThis as { gc?: () => void }).gc
  if (gc) for (let i = 0; i < 3; i++) gc()
  const m = process.memoryUsage()
  return { heapUsed: m.heapUsed, arrayBuffers: m.arrayBuffers, collected: gc !== undefined }
}

/** Bytes retained between two samples, per item. */
export function bytesPer(before: MemorySample, after: MemorySample, items: number): number {
  const bytes = after.heapUsed + after.arrayBuffers - (before.heapUsed + before.arrayBuffers)
  return Math.round(bytes / Math.max(1, items))
}
