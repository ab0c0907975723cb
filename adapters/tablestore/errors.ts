/**
 * @module The adapter's errors, typed so that callers catch them by class (Hono's
 * `UnsupportedPathError` idea): every message starts with `[im-search] [tablestore]` and keeps
 * the SDK's error as `cause`.
 */

import {
  BackendUnavailableError as PortUnavailable,
  QueryRefusedError,
} from '../../src/ports/search-backend.ts'

const PREFIX = '[im-search] [tablestore]'

/** A Tablestore call failed (not retried, or not retryable). `code` is the OTS error code when known. */
export class TablestoreError extends Error {
  override readonly name: string = 'TablestoreError'
  constructor(
    message: string,
    readonly operation: string,
    readonly code: string | undefined,
    readonly status: number | undefined,
    options?: { cause?: unknown },
  ) {
    super(`${PREFIX} ${message}`, options)
  }
}

/**
 * Tablestore stayed throttled, busy, unreachable or slow through every retry. It is the port's
 * {@link PortUnavailable} (the core answers 503), with the operation and OTS code attached.
 */
export class BackendUnavailableError extends PortUnavailable {
  override readonly name = 'BackendUnavailableError'
  constructor(
    message: string,
    readonly operation: string,
    readonly code: string | undefined,
    readonly status: number | undefined,
    options?: { cause?: unknown },
  ) {
    super(`${PREFIX} ${message}`, options)
  }
}

/**
 * A query this adapter cannot translate exactly, or one beyond Tablestore's documented limits
 * (sub-queries per request, array elements, keyword length): the port's {@link QueryRefusedError}
 * (the core answers 400).
 */
export class TablestoreQueryError extends QueryRefusedError {
  override readonly name = 'TablestoreQueryError'
  constructor(message: string, options?: { cause?: unknown }) {
    super(`${PREFIX} ${message}`, options)
  }
}

/** Control characters (the protobuf framing bytes around the readable text) become spaces. */
const printable = (text: string): string =>
  [...text].map((ch) => ((ch.codePointAt(0) ?? 0) < 0x20 ? ' ' : ch)).join('')

/** What the SDK's error says: the HTTP status, the OTS code and message, or a networking code. */
export interface SdkErrorInfo {
  status: number | undefined
  code: string | undefined
  message: string
}

/**
 * Reads an SDK error. The SDK puts the HTTP status in `err.code` and the raw protobuf
 * `Error{code, message}` bytes in `err.message` (its XML error parser is missing in 5.6.5), so the
 * OTS code is found with a pattern; networking errors carry `NetworkingError` or a Node code.
 */
export function parseSdkError(error: unknown): SdkErrorInfo {
  const e = (error ?? {}) as { code?: unknown; message?: unknown; name?: unknown; errno?: unknown }
  const raw = typeof e.message === 'string' ? e.message : String(error)
  const status = typeof e.code === 'number' ? e.code : undefined
  const ots = /OTS[A-Za-z]+/.exec(raw)?.[0]
  const node =
    typeof e.code === 'string' ? e.code : /\b(E[A-Z]{4,}|NetworkingError|TimeoutError)\b/.exec(raw)?.[0]
  // The readable part of a protobuf error body: after the code, the message field's tag (0x12) and
  // varint length (which may be a printable byte, '&' for 38) are skipped, the rest made printable.
  let rest = ots ? raw.slice(raw.indexOf(ots) + ots.length) : raw
  if (ots && rest.charCodeAt(0) === 0x12) rest = rest.slice(1).replace(/^[\u0080-\uffff]*[\s\S]/, '')
  const text = ots ? printable(rest).trim() : raw
  return { status, code: ots ?? node, message: text }
}

/**
 * A document beyond Tablestore's documented limits (more than 256 array elements or nested
 * objects, a keyword over 4 KB): refused before writing, because the search index would
 * otherwise drop the whole row during its asynchronous sync, silently.
 */
export class TablestoreLimitError extends QueryRefusedError {
  override readonly name = 'TablestoreLimitError'
  constructor(message: string) {
    super(`${PREFIX} ${message}`)
  }
}
