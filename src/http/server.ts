/** @module The Node HTTP server around the app, with graceful shutdown on SIGTERM and SIGINT. */
import { IncomingMessage, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { type Http2Bindings, type HttpBindings, serve as serveNode } from '@hono/node-server'
import type { Hono } from 'hono'
import type { Config } from '../config.ts'
import type { Logger } from '../logger.ts'
import { answerClientErrorsWithProblems } from './client-error.ts'
import { closingConnection, discardUnreadBody } from './unread-body.ts'

/** Options for {@link serve}. */
export interface ServeOptions {
  logger: Logger
  /** Runs after the last in-flight request finished: close the backend, flush files. */
  onShutdown?: () => Promise<void> | void
  /** In-flight requests still open after this are cut. @default 10_000 */
  shutdownTimeoutMs?: number
  /**
   * Install SIGTERM/SIGINT handlers that shut down and then exit the process. Tests turn it off
   * and call `close()`.
   * @default true
   */
  handleSignals?: boolean
}

/** A running server. */
export interface RunningServer {
  readonly server: Server
  /** `http://host:port/` once listening; rejects when listening fails (port in use). */
  readonly url: Promise<string>
  /** True from the first shutdown signal on; wire it into readiness so balancers stop sending. */
  readonly shuttingDown: boolean
  /** Stop accepting, finish in-flight requests (up to the timeout), then run `onShutdown`. Idempotent. */
  close(): Promise<void>
}

/** `AddressInfo` to a URL a person can paste; IPv6 hosts get brackets. */
function urlOf(info: AddressInfo): string {
  const host = info.family === 'IPv6' ? `[${info.address}]` : info.address
  return `http://${host}:${info.port}/`
}

/**
 * Listens on `config.host:config.port`. On SIGTERM or SIGINT it stops accepting connections,
 * lets in-flight requests finish, runs `onShutdown` (closing the backend only once nothing can
 * use it), and exits 0 — or 1 when shutdown itself failed.
 */
export function serve(
  app: Pick<Hono, 'fetch'>,
  config: Pick<Config, 'host' | 'port'>,
  options: ServeOptions,
): RunningServer {
  const { logger } = options
  const timeoutMs = options.shutdownTimeoutMs ?? 10_000
  let resolveUrl: (url: string) => void = () => {}
  let rejectUrl: (error: Error) => void = () => {}
  const url = new Promise<string>((resolve, reject) => {
    resolveUrl = resolve
    rejectUrl = reject
  })
  // An answer given before the body was read leaves the connection clean, or closes it (issue #14).
  // The server is HTTP/1.1 (`createServer`), so `incoming` is always an IncomingMessage.
  const fetch = async (request: Request, env: HttpBindings | Http2Bindings) => {
    const response = await app.fetch(request, env)
    if (!(env.incoming instanceof IncomingMessage)) return response
    return (await discardUnreadBody(env.incoming)) ? response : closingConnection(response)
  }
  const server = serveNode({ fetch, hostname: config.host, port: config.port }, (info) =>
    resolveUrl(urlOf(info)),
  ) as Server
  // EADDRINUSE and friends: reject `url` so main can print one clear line instead of a stack.
  server.once('error', (error) => rejectUrl(error))
  answerClientErrorsWithProblems(server)

  let closing: Promise<void> | undefined
  const close = () => {
    closing ??= (async () => {
      logger.info({ timeoutMs }, 'shutting down: no new connections, finishing in-flight requests')
      const drained = new Promise<void>((resolve, reject) =>
        server.close((error) => (error ? reject(error) : resolve())),
      )
      // Keep-alive sockets with no request in flight would hold close() open until they time out,
      // and a socket becomes idle whenever its in-flight request ends, so sweep until drained.
      server.closeIdleConnections()
      const sweeper = setInterval(() => server.closeIdleConnections(), 50)
      const timer = setTimeout(() => {
        logger.warn('shutdown timeout: cutting remaining connections')
        server.closeAllConnections()
      }, timeoutMs)
      try {
        await drained
      } finally {
        clearInterval(sweeper)
        clearTimeout(timer)
      }
      await options.onShutdown?.()
      logger.info('shut down')
    })()
    return closing
  }

  if (options.handleSignals ?? true) {
    const onSignal = (signal: NodeJS.Signals) => {
      logger.info({ signal }, 'signal received')
      close().then(
        () => process.exit(0),
        (error: unknown) => {
          logger.error({ err: error }, 'shutdown failed')
          process.exit(1)
        },
      )
    }
    process.once('SIGTERM', onSignal)
    process.once('SIGINT', onSignal)
  }

  return {
    server,
    url,
    get shuttingDown() {
      return closing !== undefined
    },
    close,
  }
}
