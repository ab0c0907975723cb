/** @module Token numbers: a table for one-unit tokens and a map for the rest answer as one map would. */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { TextIndex } from '../../adapters/memory/text-index.ts'
import { TokenNumbers } from '../../adapters/memory/token-numbers.ts'

/** CJK characters, ASCII letters and words, a lone surrogate half, an astral character (two units). */
const token = fc.oneof(
  fc.constantFrom('今', '天', 'a', '\u0000', '\uffff', '\ud83d', '𠀀', '今天', 'coffee'),
  fc.string({ minLength: 1, maxLength: 3 }),
)

describe('token numbers', () => {
  it('numbers tokens in order and finds each as a map does, whatever its length', () => {
    fc.assert(
      fc.property(fc.array(token, { maxLength: 60 }), fc.array(token, { maxLength: 20 }), (added, asked) => {
        const numbers = new TokenNumbers()
        const oracle = new Map<string, number>()
        for (const t of added) {
          if (oracle.has(t)) continue
          oracle.set(t, oracle.size)
          expect(numbers.add(t)).toBe(oracle.get(t))
        }
        for (const t of [...added, ...asked]) expect(numbers.get(t)).toBe(oracle.get(t))
        expect(numbers.tokens()).toEqual([...oracle.keys()])
        expect(numbers.size).toBe(oracle.size)
      }),
    )
  })

  it('a text index snapshot that saves a token twice is refused', () => {
    const index = new TextIndex()
    index.add(0, ['今', '天'])
    const snapshot = index.toSnapshot(1)
    expect(() => TextIndex.fromSnapshot({ ...snapshot, tokens: ['今', '今'] })).toThrow(/saved twice/)
  })
})
