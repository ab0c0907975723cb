/**
 * @module The Node HTTP server around the app, with a bounded graceful shutdown on SIGTERM and
 * SIGINT: stop accepting, finish in-flight requests, run `onShutdown`, flush the log, exit.
 */
import { IncomingMessage, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { type Http2Bindings, type HttpBindings, serve as serveNode } from '@hono/node-server'
import type { Hono } from 'hono'
import type { Config } from '../config.ts'
import type { Logger } from '../logger.ts'
import { answerClientErrorsWithProblems } from './client-error.ts'
import { drainServer, trackSockets, within } from './drain.ts'
import { bodyFullyRead, closingConnection, discardUnreadBody } from './unread-body.ts'

/** Options for {@link serve}. */
export interface ServeOptions {
  logger: Logger
  /**
   * Runs after the last in-flight request finished: finish queued work, close the backend. It gets
   * `onShutdownTimeoutMs`; past that the shutdown fails (exit 1) rather than hang.
   */
  onShutdown?: () => Promise<void> | void
  /** In-flight requests still open after this are cut. @default 10_000 */
  shutdownTimeoutMs?: number
  /** How long `onShutdown` may take. @default 5_000 */
  onShutdownTimeoutMs?: number
  /** Runs last, before the process exits on a signal: flush the log. It gets 1 s. */
  flushLogs?: (timeoutMs: number) => Promise<void>
  /**
   * Install SIGTERM/SIGINT handlers that shut down and then exit the process. Tests turn it off
   * and call `close()`.
   * @default true
   */
  handleSignals?: boolean
}

/** A running server, in this thread or another. */
export interface RunningServer {
  /** `http://host:port/` once listening; rejects when listening fails (port in use). */
  readonly url: Promise<string>
  /** True from the first shutdown signal on; wire it into readiness so balancers stop sending. */
  readonly shuttingDown: boolean
  /**
   * Stop accepting, finish in-flight requests (up to `shutdownTimeoutMs`), then run `onShutdown`
   * (up to `onShutdownTimeoutMs`). Idempotent; rejects when `onShutdown` failed or timed out.
   */
  close(): Promise<void>
}

/** A server running in this thread. */
export interface RunningNodeServer extends RunningServer {
  readonly server: Server
}

/** How long the last log lines may take to leave before the process exits or a thread stops. */
export const LOG_FLUSH_MS = 1_000

/**
 * On SIGTERM or SIGINT: `close()`, flush the log, exit 0 (1 when the shutdown failed). A second
 * signal exits at once (1).
 */
export function exitOnSignals(
  close: () => Promise<void>,
  options: Pick<ServeOptions, 'logger' | 'flushLogs'>,
): void {
  const { logger } = options
  let closing = false
  const onSignal = (signal: NodeJS.Signals) => {
    if (closing) {
      logger.warn({ signal }, 'second signal: exiting without finishing the shutdown')
      process.exit(1)
    }
    closing = true
    logger.info({ signal }, 'signal received')
    close()
      .then(
        () => 0,
        (error: unknown) => {
          logger.error({ err: error }, 'shutdown failed')
          return 1
        },
      )
      .then(async (code) => {
        await options.flushLogs?.(LOG_FLUSH_MS)
        process.exit(code)
      })
  }
  process.on('SIGTERM', onSignal)
  process.on('SIGINT', onSignal)
}

/** `AddressInfo` to a URL a person can paste; IPv6 hosts get brackets. */
function urlOf(info: AddressInfo): string {
  const host = info.family === 'IPv6' ? `[${info.address}]` : info.address
  return `http://${host}:${info.port}/`
}

/**
 * Listens on `config.host:config.port`. On SIGTERM or SIGINT it stops accepting connections,
 * lets in-flight requests finish, runs `onShutdown` (closing the backend only once nothing can
 * use it), and exits 0 — or 1 when shutdown itself failed. A second signal exits at once (1).
 * The whole shutdown takes at most `shutdownTimeoutMs + onShutdownTimeoutMs + 1 s`.
 */
export function serve(
  app: Pick<Hono, 'fetch'>,
  config: Pick<Config, 'host' | 'port'>,
  options: ServeOptions,
): RunningNodeServer {
  const { logger } = options
  const timeoutMs = options.shutdownTimeoutMs ?? 10_000
  const onShutdownTimeoutMs = options.onShutdownTimeoutMs ?? 5_000
  let resolveUrl: (url: string) => void = () => {}
  let rejectUrl: (error: Error) => void = () => {}
  const url = new Promise<string>((resolve, reject) => {
    resolveUrl = resolve
    rejectUrl = reject
  })
  let closing: Promise<void> | undefined
  // The server is HTTP/1.1 (`createServer`), so `incoming` is always an IncomingMessage.
  const fetch = async (request: Request, env: HttpBindings | Http2Bindings) => {
    const response = await app.fetch(request, env)
    if (!(env.incoming instanceof IncomingMessage)) return response
    // An answer given before the body was read leaves the connection clean, or closes it (issue #14);
    // while shutting down every answer closes its connection, so clients stop reusing it.
    const clean = bodyFullyRead(env.incoming) || (await discardUnreadBody(env.incoming))
    return clean && closing === undefined ? response : closingConnection(response)
  }
  const server = serveNode({ fetch, hostname: config.host, port: config.port }, (info) =>
    resolveUrl(urlOf(info)),
  ) as Server
  // EADDRINUSE and friends: reject `url` so main can print one clear line instead of a stack.
  server.once('error', (error) => rejectUrl(error))
  answerClientErrorsWithProblems(server)
  const sockets = trackSockets(server)

  const close = () => {
    closing ??= (async () => {
      logger.info(
        { timeoutMs, onShutdownTimeoutMs },
        'shutting down: no new connections, finishing in-flight requests',
      )
      await drainServer(server, sockets, timeoutMs, logger)
      await within(onShutdownTimeoutMs, 'onShutdown', async () => options.onShutdown?.())
      logger.info('shut down')
    })()
    return closing
  }

  if (options.handleSignals ?? true) exitOnSignals(close, options)

  return {
    server,
    url,
    get shuttingDown() {
      return closing !== undefined
    },
    close,
  }
}
