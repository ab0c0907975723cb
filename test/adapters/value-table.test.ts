/**
 * The loaded values' table against a `Map`: every value found at its number, every other string
 * not found, whatever the strings (Chinese, English, empty, lone surrogates).
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { ValueTable } from '../../adapters/memory/value-table.ts'

const stringArb = fc.oneof(
  fc.string({ maxLength: 6, unit: 'binary' }),
  fc.constantFrom('张伟', '李娜', 'c000123', 'c000124', 'zhangwei', ''),
)
const distinctArb = fc.uniqueArray(stringArb, { maxLength: 300 })

describe('value table', () => {
  it('finds each value at its number and no other string', () => {
    fc.assert(
      fc.property(distinctArb, fc.array(stringArb, { maxLength: 50 }), (values, probes) => {
        const table = new ValueTable(values)
        const oracle = new Map(values.map((value, i) => [value, i]))
        expect(table.size).toBe(values.length)
        for (const value of [...values, ...probes])
          expect(table.numberOf(value)).toBe(oracle.get(value) ?? -1)
      }),
    )
  })
})
