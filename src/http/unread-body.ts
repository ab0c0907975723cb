/**
 * @module An answer given before the request body was read (413 by declared length, 415, 401 or
 * 404 on a POST, a 413 half-way through a chunked body) must leave the connection usable (issue #14).
 *
 * Why it did not: every middleware that asks `c.req.raw.body` whether there is a body makes
 * `@hono/node-server` start a web stream over the request (`Readable.toWeb`), which takes one chunk
 * and pauses the request when its queue is full. Nobody reads that stream after an early answer,
 * so the rest of the body stayed on the wire; the server's clean-up (resume, 500 ms) was paused
 * again by that same orphaned reader and then destroyed the socket — one the answer had announced
 * as keep-alive, and which a pooling client (Node's `fetch`) had meanwhile reused for its next request:
 * `UND_ERR_SOCKET`. Node's own clean-up (`IncomingMessage#_dump`) skips a request someone started reading.
 *
 * So before the answer leaves, the rest of the body is read and discarded, within a bound; past the
 * bound the answer says `Connection: close`, so no client reuses a socket the server then drops.
 */
import type { IncomingMessage } from 'node:http'

/** The bounds of {@link discardUnreadBody}. */
export interface DiscardBounds {
  /**
   * Discard at most this many bytes to keep the connection: a client that sent a body a few times
   * the 1 MiB limit keeps its connection; a larger upload is cut rather than read. @default 8 MiB
   */
  maxBytes?: number
  /** A body that has not arrived by then (a trickle, a half-sent body) closes the connection. @default 2_000 */
  timeoutMs?: number
}

const DEFAULT_MAX_BYTES = 8 * 1024 * 1024
const DEFAULT_TIMEOUT_MS = 2_000

/**
 * Whether nothing is left of the request body: everything arrived and nothing is buffered, so
 * Node's own clean-up ends the request. Every GET is; asking this first spares it a promise.
 */
export function bodyFullyRead(incoming: IncomingMessage): boolean {
  return incoming.readableEnded || (incoming.complete && incoming.readableLength === 0)
}

/**
 * Reads and discards whatever is left of the request body. Resolves `true` once the whole body was
 * read (the connection can stay open), `false` when a bound was hit or the client went away (the
 * connection must close).
 */
export function discardUnreadBody(incoming: IncomingMessage, bounds: DiscardBounds = {}): Promise<boolean> {
  if (bodyFullyRead(incoming)) return Promise.resolve(true)
  if (incoming.destroyed) return Promise.resolve(false)
  const maxBytes = bounds.maxBytes ?? DEFAULT_MAX_BYTES
  if (Number(incoming.headers['content-length']) > maxBytes) return Promise.resolve(false)
  return new Promise((resolve) => {
    let read = 0
    const finish = (whole: boolean) => {
      clearTimeout(timer)
      incoming.off('data', onData)
      incoming.off('end', onEnd)
      incoming.off('close', onClose)
      incoming.off('error', onError)
      resolve(whole)
    }
    const onData = (chunk: Buffer) => {
      read += chunk.length
      if (read > maxBytes) finish(false)
    }
    const onEnd = () => finish(true)
    const onClose = () => finish(incoming.readableEnded)
    const onError = () => finish(false)
    const timer = setTimeout(() => finish(false), bounds.timeoutMs ?? DEFAULT_TIMEOUT_MS)
    // The orphaned web-stream reader pauses the request at every chunk; drop it, as Node's own
    // `_dump` drops 'data' listeners, so the bytes flow to us.
    incoming.removeAllListeners('data')
    incoming.on('data', onData)
    incoming.once('end', onEnd)
    incoming.once('close', onClose)
    incoming.once('error', onError)
    incoming.resume()
  })
}

/** The same answer, with `Connection: close`: a copy, since a response's headers may be immutable. */
export function closingConnection(response: Response): Response {
  const headers = new Headers(response.headers)
  headers.set('connection', 'close')
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers })
}
