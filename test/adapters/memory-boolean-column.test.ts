/**
 * @module A boolean field's `term` and `terms` answered from its column (`boolean-column.ts`)
 * against a plain filter over the live documents: through writes and removals after the column
 * was made, an index restored from its snapshot, and values that are not booleans (missing,
 * null, a string, a number, arrays, which are read from the document).
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { DocIndex, type DocIndexOptions } from '../../adapters/memory/doc-index.ts'
import type { Query } from '../../src/query/dsl.ts'
import { replay } from './doc-index-replay.ts'

interface Doc {
  id: string
  name: string
  discoverable?: unknown
}

const options: DocIndexOptions = {
  schema: { id: { type: 'keyword' }, name: { type: 'keyword' }, discoverable: { type: 'boolean' } },
  idField: 'id',
}

const valueArb = fc.constantFrom(true, false, undefined, null, 'true', 1, [true], [false, true], [])
const opArb = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant('put' as const),
      id: fc.integer({ min: 0, max: 20 }),
      name: fc.constantFrom('张伟', 'Anna'),
      value: valueArb,
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('remove' as const), id: fc.integer({ min: 0, max: 20 }) }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('search' as const),
      wanted: fc.constantFrom<boolean[]>([true], [false], [true, false], [true, true]),
      named: fc.option(fc.constantFrom('张伟', 'Anna'), { nil: undefined }),
      boost: fc.constantFrom(undefined, 2.5),
    }),
  },
)

describe('boolean fields from a column', () => {
  it('match as a plain filter over the live documents', () => {
    let found = 0
    fc.assert(
      fc.property(fc.array(opArb, { minLength: 5, maxLength: 50 }), (ops) => {
        // Halfway, the index restored from its snapshot: the column is made again from the documents.
        replay<Doc, (typeof ops)[number]>(options, ops, {
          put: (op) => {
            const doc: Doc = { id: `u${op.id}`, name: op.name }
            if (op.value !== undefined) doc.discoverable = op.value
            return doc
          },
          removed: (op) => `u${op.id}`,
          search: (index, live, op) => {
            const leaf: Query =
              op.wanted.length === 1
                ? { term: { field: 'discoverable', value: op.wanted[0] as boolean, boost: op.boost } }
                : { terms: { field: 'discoverable', values: op.wanted, boost: op.boost } }
            const query: Query = op.named
              ? { bool: { must: [leaf], filter: [{ term: { field: 'name', value: op.named } }] } }
              : leaf
            const matches = [...live.values()].filter((d) => {
              const values = Array.isArray(d.discoverable) ? d.discoverable : [d.discoverable]
              return (
                (!op.named || d.name === op.named) && values.some((v) => op.wanted.includes(v as boolean))
              )
            })
            const page = index.search({ query, limit: 100 })
            expect(page.total).toBe(matches.length)
            expect(page.hits.map((h) => h.id).sort()).toEqual(matches.map((d) => d.id).sort())
            for (const hit of page.hits) expect(hit.score).toBe(op.boost ?? 1)
            found += matches.length
          },
        })
      }),
      { numRuns: 300 },
    )
    expect(found).toBeGreaterThan(300)
  })

  it('are not read from the stored documents', () => {
    const index = new DocIndex<Doc>(options)
    for (let i = 0; i < 10; i++) index.upsert({ id: `u${i}`, name: 'Anna', discoverable: i % 2 === 0 })
    const query: Query = { term: { field: 'discoverable', value: true } }
    const [hit] = index.search({ query, limit: 1 }).hits
    // The engine never changes a stored document; changed here, the column still answers as indexed.
    ;(hit?.document as Doc).discoverable = false
    expect(index.search({ query, limit: 100 }).total).toBe(5)
  })
})
