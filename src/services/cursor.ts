/**
 * @module Opaque, tamper-proof cursors. A cursor wraps the backend's page token with the caller
 * and a digest of the search it continues, signed with HMAC-SHA256: a forged cursor, another
 * user's, or one replayed on a different search is refused with a 400, never a widened search.
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto'
import { invalidInput } from './errors.ts'

export interface CursorCodec {
  encode(callerId: string, search: unknown, pageToken: string): string
  /** The backend page token, or a 400 {@link ServiceError} when the cursor is not valid here. */
  decode(callerId: string, search: unknown, cursor: string): string
}

/** Cursors longer than this are not ours. */
const MAX_CURSOR_LENGTH = 4096

export function createCursorCodec(secret: string | Buffer = randomBytes(32)): CursorCodec {
  const sign = (body: string) => createHmac('sha256', secret).update(body).digest()
  const digest = (callerId: string, search: unknown) =>
    createHash('sha256')
      .update(JSON.stringify([callerId, search]))
      .digest('base64url')
      .slice(0, 22)
  return {
    encode(callerId, search, pageToken) {
      const body = Buffer.from(JSON.stringify({ s: digest(callerId, search), t: pageToken })).toString(
        'base64url',
      )
      return `${body}.${sign(body).toString('base64url')}`
    },
    decode(callerId, search, cursor) {
      const refuse = () =>
        invalidInput('cursor is not valid for this search', [{ path: 'cursor', message: 'invalid cursor' }])
      if (cursor.length > MAX_CURSOR_LENGTH) throw refuse()
      const [body, signature, extra] = cursor.split('.')
      if (!body || !signature || extra !== undefined) throw refuse()
      // Compare the text, not decoded bytes: base64url decoding skips stray characters and the
      // last character's unused bits, so other strings decode to the same signature (issue 8).
      const expected = Buffer.from(sign(body).toString('base64url'))
      const given = Buffer.from(signature)
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw refuse()
      const payload = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as { s: string; t: string }
      if (payload.s !== digest(callerId, search)) throw refuse()
      return payload.t
    },
  }
}
