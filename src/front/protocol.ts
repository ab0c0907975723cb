/**
 * @module What the main thread and the HTTP thread say to each other, besides the service calls
 * (`cross-thread-calls.ts`, on a port of their own).
 */
import type { MessagePort } from 'node:worker_threads'
import type { BuildAppOptions } from '../build-app.ts'
import type { Config } from '../config.ts'

/** The HTTP thread's settings: data only, cloned into the worker. */
export interface FrontSettings {
  app: BuildAppOptions['config']
  listen: Pick<Config, 'host' | 'port'>
  logLevel: string
  /** Where the HTTP thread's log lines go: a file (the bench: /dev/null). @default stdout */
  logPath?: string | undefined
}

/** `workerData` of the HTTP thread. */
export interface FrontWorkerData {
  settings: FrontSettings
  /** The port the service side answers calls on. */
  calls: MessagePort
  /** `ServeOptions.shutdownTimeoutMs` of `serveInWorker`: the HTTP thread drains the requests. */
  shutdownTimeoutMs: number | undefined
}

/** Main thread → HTTP thread. */
export type ToFront = { kind: 'close' }

/** HTTP thread → main thread. */
export type FromFront =
  | { kind: 'listening'; url: string }
  | { kind: 'listen-failed'; message: string; code?: string | undefined }
  /** In-flight requests finished (or were cut at the timeout) and the log was flushed. */
  | { kind: 'closed' }
