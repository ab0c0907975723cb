/**
 * @module Closing a Node HTTP server within a bound: stop accepting, let in-flight requests finish,
 * and cut whatever is still open when the bound is reached — every socket, whatever state a client
 * left it in (a half-sent body, a half-sent head, a keep-alive socket, one a parse error left open).
 */
import type { Server } from 'node:http'
import type { Socket } from 'node:net'
import type { Logger } from '../logger.ts'

/** Every socket the server accepted and that is still open. */
export function trackSockets(server: Server): Set<Socket> {
  const sockets = new Set<Socket>()
  server.on('connection', (socket: Socket) => {
    sockets.add(socket)
    socket.once('close', () => sockets.delete(socket))
  })
  return sockets
}

/**
 * Stops accepting and resolves once every connection is closed: idle keep-alive sockets at once
 * (and each one as its request ends), the rest after `timeoutMs` at the latest. `server.close`
 * waits for every socket, including those Node's own `closeAllConnections` does not know (a socket
 * a parse error was answered on), so the cut destroys the tracked set too.
 */
export async function drainServer(
  server: Server,
  sockets: Set<Socket>,
  timeoutMs: number,
  logger: Logger,
): Promise<void> {
  const drained = new Promise<void>((resolve) => {
    // ERR_SERVER_NOT_RUNNING (never listened, or already closed) leaves nothing to drain either.
    server.close(() => resolve())
  })
  // A socket becomes idle whenever its in-flight request ends, so sweep until drained.
  server.closeIdleConnections()
  const sweeper = setInterval(() => server.closeIdleConnections(), 50)
  const timer = setTimeout(() => {
    logger.warn({ open: sockets.size }, 'shutdown timeout: cutting remaining connections')
    server.closeAllConnections()
    for (const socket of sockets) socket.destroy()
  }, timeoutMs)
  try {
    await drained
  } finally {
    clearInterval(sweeper)
    clearTimeout(timer)
  }
}

/** Runs `work`, giving up after `timeoutMs` with an error naming `what`: no step of a shutdown may hang. */
export async function within<T>(timeoutMs: number, what: string, work: () => Promise<T> | T): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${timeoutMs} ms`)), timeoutMs)
  })
  try {
    return await Promise.race([Promise.resolve().then(work), timeout])
  } finally {
    clearTimeout(timer)
  }
}
