/**
 * @module Requests Node's HTTP parser refuses before the app sees them (malformed request line,
 * oversized headers, a request that never finished arriving): answered like every other error,
 * with a problem document, instead of Node's bare status line.
 */
import type { Server } from 'node:http'
import type { Duplex } from 'node:stream'
import { PROBLEM_CONTENT_TYPE, ProblemError } from './problem.ts'

const REFUSALS: Record<string, { status: number; reason: string; detail: string }> = {
  HPE_HEADER_OVERFLOW: {
    status: 431,
    reason: 'Request Header Fields Too Large',
    detail: 'the request headers are larger than the server accepts (16 KiB)',
  },
  ERR_HTTP_REQUEST_TIMEOUT: {
    status: 408,
    reason: 'Request Timeout',
    detail: 'the request did not arrive in time',
  },
}
const MALFORMED = { status: 400, reason: 'Bad Request', detail: 'the request is not well-formed HTTP/1.1' }

export function answerClientErrorsWithProblems(server: Server): void {
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    // A client that hung up has nobody left to answer.
    if (error.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy()
      return
    }
    const refusal = REFUSALS[error.code ?? ''] ?? MALFORMED
    const body = JSON.stringify(
      new ProblemError(refusal.status, {
        slug: 'malformed-http',
        title: refusal.reason,
        detail: refusal.detail,
      }).toDocument(),
    )
    socket.end(
      `HTTP/1.1 ${refusal.status} ${refusal.reason}\r\nContent-Type: ${PROBLEM_CONTENT_TYPE}\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    )
  })
}
