/** @module What the figures were measured on. */
import os from 'node:os'

export interface Machine {
  cpus: number
  cpuModel: string
  memoryBytes: number
  node: string
  v8: string
  platform: string
  heapLimitBytes: number
  gcExposed: boolean
}

export async function describeMachine(): Promise<Machine> {
  const { getHeapStatistics } = await import('node:v8')
  return {
    cpus: os.availableParallelism(),
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
    memoryBytes: os.totalmem(),
    node: process.version,
    v8: process.versions.v8,
    platform: `${process.platform} ${os.release()} ${process.arch}`,
    heapLimitBytes: getHeapStatistics().heap_size_limit,
    gcExposed: typeof (globalThis as { gc?: unknown }).gc === 'function',
  }
}
