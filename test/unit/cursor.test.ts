/**
 * @module The cursor codec alone: any page token comes back as it was, for the same caller and
 * search only, and a cursor changed in any character is refused.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { createCursorCodec } from '../../src/services/cursor.ts'

const codec = createCursorCodec('test secret')
const token = fc.oneof(
  fc.string({ minLength: 1 }),
  fc.stringMatching(/^[\w-]{1,40}$/),
  fc.constantFrom('~', '~abc', 'a.b', '上海 今天', 'eyJrIjpbMV0sImkiOjJ9', '😀+/='),
)
const search = fc.record({
  q: fc.constantFrom('今天', 'coffee', undefined),
  sort: fc.constantFrom('newest', 'oldest'),
})
const refused = (f: () => unknown) => expect(f).toThrow('cursor is not valid for this search')

describe('cursor codec', () => {
  it('gives back any page token, for the same caller and search only', () => {
    fc.assert(
      fc.property(token, search, search, fc.constantFrom('u1', '用户2'), (t, s, other, caller) => {
        const cursor = codec.encode(caller, s, t)
        expect(codec.decode(caller, s, cursor)).toBe(t)
        refused(() => codec.decode(`${caller}x`, s, cursor))
        if (JSON.stringify(other) !== JSON.stringify(s)) refused(() => codec.decode(caller, other, cursor))
        refused(() => createCursorCodec('another secret').decode(caller, s, cursor))
      }),
    )
  })

  it('refuses a cursor changed in any one character, or extended', () => {
    fc.assert(
      fc.property(token, fc.nat(), fc.constantFrom('A', '_', '~', '.', '!', '='), (t, at, char) => {
        const cursor = codec.encode('u1', { q: '今天' }, t)
        const i = at % cursor.length
        const forged = cursor.slice(0, i) + char + cursor.slice(i + 1)
        if (forged !== cursor) refused(() => codec.decode('u1', { q: '今天' }, forged))
        refused(() => codec.decode('u1', { q: '今天' }, `${cursor}${char}`))
      }),
    )
  })
})
