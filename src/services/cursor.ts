/**
 * @module Opaque, tamper-proof cursors. A cursor is the backend's page token (in the base64url
 * alphabet) and an HMAC-SHA256 over that exact text, the caller and the search it continues: a forged cursor,
 * another user's, or one replayed on a different search is refused with a 400, never a widened
 * search.
 */
import { createHmac, createSecretKey, type KeyObject, randomBytes, timingSafeEqual } from 'node:crypto'
import { invalidInput } from './errors.ts'

export interface CursorCodec {
  encode(callerId: string, search: unknown, pageToken: string): string
  /** The backend page token, or a 400 {@link ServiceError} when the cursor is not valid here. */
  decode(callerId: string, search: unknown, cursor: string): string
}

/** Cursors longer than this are not ours. */
const MAX_CURSOR_LENGTH = 4096

/**
 * A page token already in the base64url alphabet (the memory backend's) is the body as it is;
 * any other is `~` and its base64url, `~` being outside that alphabet. Re-encoding every token
 * (a buffer from the pool and a base64url pass) was a sixth of signing a cursor.
 */
const URL_SAFE = /^[\w-]+$/
const ENCODED = '~'

function bodyOf(pageToken: string): string {
  return URL_SAFE.test(pageToken) ? pageToken : ENCODED + Buffer.from(pageToken, 'utf8').toString('base64url')
}

function tokenOf(body: string): string {
  return body.startsWith(ENCODED) ? Buffer.from(body.slice(1), 'base64url').toString('utf8') : body
}

/**
 * The signature binds the body as written (not its decoded bytes) to the caller and the search,
 * in one HMAC: the body is in the base64url alphabet (and `~`) and never holds the separator, so no two (body, binding)
 * pairs sign the same input. One HMAC a page, where a SHA-256 digest of the search inside a
 * signed JSON envelope cost two hashes and two JSON passes (a tenth of a listing's time).
 */
function signature(key: KeyObject, body: string, callerId: string, search: unknown): string {
  return createHmac('sha256', key)
    .update(body)
    .update('\n')
    .update(JSON.stringify([callerId, search]))
    .digest('base64url')
}

function refused() {
  return invalidInput('cursor is not valid for this search', [{ path: 'cursor', message: 'invalid cursor' }])
}

export function createCursorCodec(secret: string | Buffer = randomBytes(32)): CursorCodec {
  // Imported once: a raw secret passed to every `createHmac` is converted again each time.
  const key = createSecretKey(typeof secret === 'string' ? Buffer.from(secret, 'utf8') : secret)
  return {
    encode(callerId, search, pageToken) {
      const body = bodyOf(pageToken)
      return `${body}.${signature(key, body, callerId, search)}`
    },
    decode(callerId, search, cursor) {
      if (cursor.length > MAX_CURSOR_LENGTH) throw refused()
      const dot = cursor.indexOf('.')
      const body = cursor.slice(0, dot)
      const given = cursor.slice(dot + 1)
      if (dot <= 0 || given.length === 0 || given.includes('.')) throw refused()
      // Compare the text, not decoded bytes: base64url decoding skips stray characters and the
      // last character's unused bits, so other strings decode to the same signature (issue 8).
      const expected = Buffer.from(signature(key, body, callerId, search))
      const actual = Buffer.from(given)
      if (actual.length !== expected.length || !timingSafeEqual(actual, expected)) throw refused()
      return tokenOf(body)
    },
  }
}
