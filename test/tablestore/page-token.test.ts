/**
 * @module The Tablestore adapter's page token: it names the generation whose index issued it, and
 * a token from before that field (version 1) is still accepted, as the live generation's, so that
 * cursors in flight survive an upgrade.
 */
import { describe, expect, it } from 'vitest'
import { decodePageToken, encodePageToken } from '../../adapters/tablestore/page-token.ts'
import { InvalidPageTokenError } from '../../src/ports/search-backend.ts'

const encoded = (fields: Record<string, unknown>) =>
  Buffer.from(JSON.stringify(fields), 'utf8').toString('base64url')

describe('Tablestore page token', () => {
  it('round-trips the token, its generation, the hits returned and the total', () => {
    const state = { token: Buffer.from([1, 2, 3, 250]), generation: 3, returned: 40, total: 97 }
    expect(decodePageToken(encodePageToken(state))).toEqual(state)
  })

  it('accepts a version 1 token, which names no generation', () => {
    expect(decodePageToken(encoded({ v: 1, t: 'AQID', r: 20, n: 50 }))).toEqual({
      token: Buffer.from([1, 2, 3]),
      generation: undefined,
      returned: 20,
      total: 50,
    })
  })

  it.each([
    ['a version 2 token without its generation', { v: 2, t: 'AQID', r: 20, n: 50 }],
    ['generation 0', { v: 2, t: 'AQID', g: 0, r: 20, n: 50 }],
    ['a fractional generation', { v: 2, t: 'AQID', g: 1.5, r: 20, n: 50 }],
    ['an unknown version', { v: 3, t: 'AQID', g: 1, r: 20, n: 50 }],
    ['an empty next_token', { v: 2, t: '', g: 1, r: 20, n: 50 }],
    ['a negative count', { v: 2, t: 'AQID', g: 1, r: -1, n: 50 }],
  ])('refuses %s', (_, fields) => {
    expect(() => decodePageToken(encoded(fields))).toThrow(InvalidPageTokenError)
  })

  it('refuses what is not JSON', () => {
    expect(() => decodePageToken('not a token')).toThrow(InvalidPageTokenError)
  })
})
