/**
 * @module The embedded engine's id → document number table against a `Map` (the oracle): random
 * adds and deletes of ids (Chinese and English, colliding buckets once the table is full), the
 * documents numbered in arrival order as `DocIndex` numbers them.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { IdTable } from '../../adapters/memory/id-table.ts'

const ID_POOL = ['m1', 'm2', 'm10', '消息-1', '消息-2', 'u1/u2', 'u2/u1', 'g-设计', '', 'a'.repeat(40)]

const idArb = fc.oneof(fc.constantFrom(...ID_POOL), fc.string({ maxLength: 6 }), fc.nat(5_000).map(String))

/** Adds (an upsert: the id's old number dropped first) and deletes. */
const opArb = fc.oneof(
  fc.record({ op: fc.constant('upsert' as const), id: idArb }),
  fc.record({ op: fc.constant('delete' as const), id: idArb }),
)

describe('IdTable', () => {
  it('answers every id as a Map does, through upserts, deletes, growth and a snapshot', () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 400 }), fc.nat(64), fc.nat(400), (ops, capacity, savedAt) => {
        const ids: (string | undefined)[] = []
        const idOf = (docNo: number) => ids[docNo] as string
        let table = new IdTable(idOf, capacity)
        const oracle = new Map<string, number>()
        for (const [i, { op, id }] of ops.entries()) {
          // Saved and loaded midway: the loaded table goes on from there.
          if (i === savedAt) table = IdTable.fromSnapshot(idOf, table.toSnapshot(ids.length), ids.length)
          const removed = table.delete(id)
          expect(removed).toBe(oracle.get(id))
          if (removed !== undefined) ids[removed] = undefined
          oracle.delete(id)
          if (op === 'upsert') {
            const docNo = ids.length
            ids.push(id)
            table.add(id, docNo)
            oracle.set(id, docNo)
          }
          expect(table.size).toBe(oracle.size)
        }
        for (const id of [...ID_POOL, ...oracle.keys()]) expect(table.get(id)).toBe(oracle.get(id))
      }),
    )
  })

  it('finds each of many ids after the buckets have doubled many times', () => {
    const ids = Array.from({ length: 50_000 }, (_, i) => (i % 2 ? `m${i}` : `消息${i}`))
    const table = new IdTable((docNo) => ids[docNo] as string)
    ids.forEach((id, docNo) => {
      table.add(id, docNo)
    })
    expect(table.size).toBe(ids.length)
    ids.forEach((id, docNo) => {
      expect(table.get(id)).toBe(docNo)
    })
    expect(table.get('m0')).toBeUndefined()
  })
})
