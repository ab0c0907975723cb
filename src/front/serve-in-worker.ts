/**
 * @module Serves HTTP from a worker thread (`front-worker.ts`) over services that stay in this
 * thread. Same lifecycle as `serve`: `url` once listening, `close()` drains in-flight requests
 * there, then runs `onShutdown` here; signals and a failed HTTP thread end the process.
 */
import { MessageChannel, Worker } from 'node:worker_threads'
import type { ServiceSide } from '../build-app.ts'
import { within } from '../http/drain.ts'
import type { RunningServer, ServeOptions } from '../http/index.ts'
import { exitOnSignals, LOG_FLUSH_MS } from '../http/server.ts'
import { answerCalls } from '../threads/cross-thread-calls.ts'
import { failureOf } from './problem-transport.ts'
import type { FromFront, FrontSettings, FrontWorkerData, ToFront } from './protocol.ts'

/** Run from source, the worker loads the TypeScript loader as the process did (`npm start`). */
function workerEntry(): { url: URL; execArgv?: string[] } {
  const compiled = import.meta.url.endsWith('.js')
  const url = new URL(compiled ? './front-worker.js' : './front-worker.ts', import.meta.url)
  if (compiled || process.execArgv.some((arg) => arg.includes('loader/register.mjs'))) return { url }
  // Under a test runner that compiles the sources itself, the worker still needs the loader.
  return { url, execArgv: ['--import', new URL('../../loader/register.mjs', import.meta.url).href] }
}

/**
 * Starts the HTTP thread over `side`. `options.onShutdown` runs here after the HTTP thread has
 * finished its in-flight requests. When the HTTP thread dies, the process exits 1 (with
 * `handleSignals`, the default) after `onShutdown`: a server that no longer answers must be
 * restarted, not left running.
 */
export function serveInWorker(
  side: ServiceSide,
  settings: FrontSettings,
  options: ServeOptions,
): RunningServer {
  const { logger } = options
  const onShutdownTimeoutMs = options.onShutdownTimeoutMs ?? 5_000
  const channel = new MessageChannel()
  answerCalls(channel.port1, side, failureOf)
  const { url: entry, execArgv } = workerEntry()
  const worker = new Worker(entry, {
    workerData: {
      settings,
      calls: channel.port2,
      shutdownTimeoutMs: options.shutdownTimeoutMs,
    } satisfies FrontWorkerData,
    transferList: [channel.port2],
    ...(execArgv ? { execArgv } : {}),
  })
  const send = (message: ToFront) => worker.postMessage(message)

  let closing: Promise<void> | undefined
  let resolveUrl: (url: string) => void = () => {}
  let rejectUrl: (error: Error) => void = () => {}
  const url = new Promise<string>((resolve, reject) => {
    resolveUrl = resolve
    rejectUrl = reject
  })
  let resolveDrained: () => void = () => {}
  const drained = new Promise<void>((resolve) => {
    resolveDrained = resolve
  })
  worker.on('message', (message: FromFront) => {
    if (message.kind === 'listening') resolveUrl(message.url)
    else if (message.kind === 'listen-failed')
      rejectUrl(Object.assign(new Error(message.message), message.code ? { code: message.code } : {}))
    else resolveDrained()
  })
  worker.on('error', (error) => {
    logger.fatal({ err: error }, 'the HTTP thread failed')
    rejectUrl(error)
  })

  const shutDown = async () => {
    channel.port1.close()
    await within(onShutdownTimeoutMs, 'onShutdown', async () => options.onShutdown?.())
  }
  const close = () => {
    closing ??= (async () => {
      // The HTTP thread logs its own steps: no new connections, in-flight requests finished.
      send({ kind: 'close' })
      // The HTTP thread bounds its drain by `shutdownTimeoutMs`; an exit ends the wait as well.
      await Promise.race([drained, new Promise((resolve) => worker.once('exit', resolve))])
      await worker.terminate()
      await shutDown()
      logger.info('shut down')
    })()
    return closing
  }
  worker.on('exit', (code) => {
    resolveDrained()
    if (closing) return
    rejectUrl(new Error(`the HTTP thread exited (code ${code}) before listening`))
    logger.fatal({ code }, 'the HTTP thread stopped: the service no longer answers and exits')
    closing = shutDown().catch((error: unknown) => logger.error({ err: error }, 'shutdown failed'))
    if (options.handleSignals ?? true)
      closing.then(() => options.flushLogs?.(LOG_FLUSH_MS)).then(() => process.exit(1))
  })

  if (options.handleSignals ?? true) exitOnSignals(close, options)

  return {
    url,
    get shuttingDown() {
      return closing !== undefined
    },
    close,
  }
}
