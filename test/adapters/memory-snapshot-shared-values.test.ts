/**
 * @module Values shared at a snapshot load (`shared-values.ts`): a value comes back equal to what
 * was decoded, and two plain values come back as one object exactly when they are equal (same
 * keys in the same order, Chinese and English strings) and hold no number JSON would change.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { SharedValues } from '../../adapters/memory/snapshot/shared-values.ts'

/** Few distinct leaves, so that equal values are drawn often. */
const leafArb = fc.oneof(
  fc.constantFrom('上海', 'rust', 'Rust', '', '1', 'a:b'),
  fc.constantFrom(0, -0, 1, 0.5, Number.NaN, Number.POSITIVE_INFINITY),
  fc.boolean(),
  fc.constant(null),
)
const objectArb = fc.oneof(
  fc.record({ name: leafArb, weight: leafArb }),
  fc.record({ weight: leafArb, name: leafArb }),
  fc.record({ lat: leafArb, lon: leafArb }),
)
const valueArb = fc.oneof(
  leafArb,
  objectArb,
  fc.array(objectArb, { maxLength: 3 }),
  fc.array(leafArb, { maxLength: 3 }),
)

/** Deep equality as the sharing must judge it: `Object.is` on leaves, keys in order. */
function same(a: unknown, b: unknown): boolean {
  if (typeof a !== 'object' || a === null || typeof b !== 'object' || b === null) return Object.is(a, b)
  if (Array.isArray(a) !== Array.isArray(b)) return false
  const [ka, kb] = [Object.keys(a), Object.keys(b)]
  if (ka.length !== kb.length || ka.some((k, i) => k !== kb[i])) return false
  return ka.every((k) => same((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]))
}

/** Whether `value` holds only numbers JSON keeps exactly: others (`-0`, NaN, infinities) are never shared. */
function exactInJson(value: unknown): boolean {
  if (typeof value === 'number') return Number.isFinite(value) && !Object.is(value, -0)
  if (typeof value !== 'object' || value === null) return true
  return Object.values(value).every(exactInJson)
}

describe('values shared at a snapshot load', () => {
  it('are equal to the decoded values, and one object exactly when equal', () => {
    fc.assert(
      fc.property(fc.array(valueArb, { minLength: 1, maxLength: 12 }), (values) => {
        const memo = new SharedValues()
        const out = values.map((v) => memo.share('f', structuredClone(v)))
        out.forEach((v, i) => {
          expect(same(v, values[i])).toBe(true)
        })
        // The objects, at the top or in a list (lists themselves are not shared), with their originals.
        const objects = out.flatMap((v, i) =>
          (Array.isArray(v)
            ? v.map((item, k) => [item, (values[i] as unknown[])[k]])
            : [[v, values[i]]]
          ).filter(([item]) => typeof item === 'object' && item !== null),
        )
        for (const [a, original] of objects)
          for (const [b, other] of objects)
            expect(a === b).toBe(original === other || (same(original, other) && exactInJson(original)))
      }),
      { numRuns: 500 },
    )
  })

  it('share the objects of lists, not the lists: tags with the same name and weight', () => {
    const memo = new SharedValues()
    const a = memo.share('tags', [
      { name: '篮球', weight: 1 },
      { name: 'rust', weight: 2.5 },
    ]) as object[]
    const b = memo.share('tags', [{ name: 'rust', weight: 2.5 }]) as object[]
    expect(b[0]).toBe(a[1])
    const c = memo.share('tags', [{ name: 'rust', weight: 2.5 }]) as object[]
    expect(c).not.toBe(b)
    expect(c[0]).toBe(b[0])
  })

  it('stop being looked up for a field whose values do not repeat, and only for it', () => {
    const memo = new SharedValues()
    for (let i = 0; i < 5000; i++) memo.share('attachments', [{ name: `附件-${i}.pdf` }])
    const [a, b] = [memo.share('attachments', { name: 'a' }), memo.share('attachments', { name: 'a' })]
    expect(a).not.toBe(b)
    for (let i = 0; i < 5000; i++) memo.share('tags', [{ name: `tag-${i % 50}` }])
    expect(memo.share('tags', { name: 'a' })).toBe(memo.share('tags', { name: 'a' }))
  })

  it('leave values that are not plain data, or are long, as they are', () => {
    const memo = new SharedValues()
    const bytes = Uint8Array.of(1, 2)
    expect(memo.share('f', bytes)).toBe(bytes)
    class Point {
      x = 1
    }
    const point = new Point()
    expect(memo.share('f', point)).toBe(point)
    const long = 'x'.repeat(600)
    expect(memo.share('f', { long })).not.toBe(memo.share('f', { long }))
  })
})
