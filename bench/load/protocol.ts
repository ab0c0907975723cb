/** @module What the load driver and its server process say to each other over IPC. */

/** The server's memory after forced full collections, and what it holds. */
export interface ServerMemory {
  /** JS heap in use: documents, postings, records cached in JS. */
  heapUsed: number
  /** Typed arrays' bytes, outside the heap (the embedded engine's recipient sets and postings). */
  arrayBuffers: number
  /** Resident set: includes LMDB's mapped pages and V8's reserved space, so it is reported, not judged. */
  rss: number
  /** Documents in the `messages` index. */
  messages: number
  /** Whether `global.gc` ran: without `--expose-gc` the figures include garbage. */
  collected: boolean
}

export type ToServer = { type: 'memory' } | { type: 'close' }

export type FromServer =
  | { type: 'ready'; url: string; counts: Record<string, number>; startMs: number }
  | { type: 'memory'; memory: ServerMemory }
  | { type: 'closed' }
  | { type: 'failed'; message: string }
