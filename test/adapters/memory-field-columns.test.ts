/**
 * @module Numeric, keyword and geo fields read by document number (`number-column.ts`, keyword
 * value numbers in `doc-columns.ts`, `point-column.ts`): ranges, `exists`, field factors,
 * non-exact `terms` (on an array field: from its postings), `prefix`, distances and sorts against a plain filter and sort over the live documents, through writes and removals
 * after the columns were made, an index restored from its snapshot, and values the columns do
 * not hold (missing, null, arrays, a number in a keyword field), which are read from the document.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { DocIndex, type DocIndexOptions } from '../../adapters/memory/doc-index.ts'
import { haversineMetres } from '../../src/geo/distance.ts'
import type { Query } from '../../src/query/dsl.ts'

interface Doc {
  id: string
  name: string
  at?: unknown
  kind?: unknown
  place?: unknown
  labels?: unknown
}

const options: DocIndexOptions = {
  schema: {
    id: { type: 'keyword' },
    name: { type: 'keyword' },
    at: { type: 'long' },
    kind: { type: 'keyword' },
    place: { type: 'geo_point' },
    labels: { type: 'keyword', array: true },
  },
  idField: 'id',
}

const atArb = fc.oneof(
  { weight: 4, arbitrary: fc.integer({ min: -5, max: 5 }).map((n) => 1_735_689_600_000 + n * 1000) },
  // 32-bit integers (a column of them takes four bytes a document until a value does not fit).
  { weight: 3, arbitrary: fc.integer({ min: -3, max: 3 }) },
  { weight: 1, arbitrary: fc.constantFrom(undefined, null, 0.5, -0, -2147483648, [1_735_689_600_000], []) },
)
const WEST_LAKE = { lat: 30.2741, lon: 120.1551 }
const placeArb = fc.constantFrom(
  undefined,
  WEST_LAKE,
  { lat: 30.3, lon: 120.2 },
  { lat: 31.23, lon: 121.47 },
  {},
)
const kindArb = fc.constantFrom('文本', 'text', 'image', undefined, null, 7, ['image', '文本'], [])
const opArb = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant('put' as const),
      id: fc.integer({ min: 0, max: 20 }),
      name: fc.constantFrom('张伟', 'Anna'),
      at: atArb,
      type: kindArb,
      place: placeArb,
      labels: fc.constantFrom(undefined, ['image'], ['文本', 'text'], [], 'text', [7, 'image']),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('remove' as const), id: fc.integer({ min: 0, max: 20 }) }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('search' as const),
      from: fc.integer({ min: -6, max: 6 }).map((n) => 1_735_689_600_000 + n * 1000),
      wanted: fc.constantFrom<string[]>(['image'], ['文本', 'text'], ['text', 'image', 'none']),
      prefix: fc.constantFrom('te', 'im', '文'),
      leaf: fc.constantFrom('range', 'exists', 'terms', 'prefix', 'factor', 'near', 'labels'),
      order: fc.constantFrom('asc' as const, 'desc' as const),
    }),
  },
)

/** A value, or each of an array's. */
function each(value: unknown): unknown[] {
  return Array.isArray(value) ? value : value === undefined || value === null ? [] : [value]
}

/** The sort key the engine gives a field value: the value where it is one number, else null. */
function key(value: unknown): number | null {
  return typeof value === 'number' ? value : null
}

describe('fields read from columns', () => {
  it('match, score and sort as a plain filter over the live documents', () => {
    let found = 0
    fc.assert(
      fc.property(fc.array(opArb, { minLength: 5, maxLength: 60 }), (ops) => {
        let index = new DocIndex<Doc>(options)
        const live = new Map<string, Doc>()
        for (const [i, op] of ops.entries()) {
          if (op.kind === 'put') {
            const doc: Doc = { id: `d${op.id}`, name: op.name }
            if (op.at !== undefined) doc.at = op.at
            if (op.type !== undefined) doc.kind = op.type
            if (op.place !== undefined) doc.place = op.place
            if (op.labels !== undefined) doc.labels = op.labels
            index.upsert(doc)
            live.delete(doc.id)
            live.set(doc.id, doc)
          } else if (op.kind === 'remove') {
            index.remove(`d${op.id}`)
            live.delete(`d${op.id}`)
          } else {
            const leaves: Record<typeof op.leaf, [Query, (d: Doc) => number | undefined]> = {
              range: [
                { range: { field: 'at', gte: op.from } },
                (d) => (each(d.at).some((v) => typeof v === 'number' && v >= op.from) ? 1 : undefined),
              ],
              exists: [{ exists: { field: 'at' } }, (d) => (each(d.at).length > 0 ? 1 : undefined)],
              terms: [
                { terms: { field: 'kind', values: op.wanted } },
                (d) => (each(d.kind).some((v) => op.wanted.includes(v as string)) ? 1 : undefined),
              ],
              prefix: [
                { prefix: { field: 'kind', value: op.prefix } },
                (d) =>
                  each(d.kind).some((v) => typeof v === 'string' && v.startsWith(op.prefix)) ? 1 : undefined,
              ],
              factor: [
                {
                  function_score: {
                    query: { term: { field: 'name', value: '张伟' } },
                    field_value_factor: { field: 'at', factor: 1e-12, missing: 0.25 },
                  },
                },
                (d) => {
                  const score = 1e-12 * (typeof d.at === 'number' ? d.at : 0.25)
                  // A negative value makes a match of the inner query none of this one.
                  return d.name === '张伟' && !(score < 0) ? score : undefined
                },
              ],
              labels: [
                { terms: { field: 'labels', values: op.wanted } },
                (d) => (each(d.labels).some((v) => op.wanted.includes(v as string)) ? 1 : undefined),
              ],
              near: [
                { geo_distance: { field: 'place', center: WEST_LAKE, distance: 10_000 } },
                (d) => {
                  const p = d.place as { lat: number; lon: number } | undefined
                  return p && haversineMetres(WEST_LAKE, p) <= 10_000 ? 1 : undefined
                },
              ],
            }
            const [leaf, scoreOf] = leaves[op.leaf]
            // A `must` beside a filter: the leaf is tested on the filter's candidates, not drawn from its own.
            const query: Query = {
              bool: { must: [leaf], filter: [{ term: { field: 'name', value: '张伟' } }] },
            }
            const expected = [...live.values()]
              .filter((d) => d.name === '张伟' && scoreOf(d) !== undefined)
              .sort((a, b) => {
                const [x, y] = [key(a.at), key(b.at)]
                if (x !== y)
                  return x === null ? 1 : y === null ? -1 : (x < y ? -1 : 1) * (op.order === 'asc' ? 1 : -1)
                return a.id < b.id ? -1 : 1
              })
            const page = index.search({
              query,
              sort: [{ field: { name: 'at', order: op.order } }],
              limit: 100,
            })
            expect(page.total).toBe(expected.length)
            expect(page.hits.map((h) => h.id)).toEqual(expected.map((d) => d.id))
            // Plus 0 as the conjunction sums its clauses' scores from 0 (a -0 factor scores +0).
            for (const hit of page.hits) expect(hit.score).toBe((scoreOf(hit.document) as number) + 0)
            found += expected.length
          }
          // Halfway, the index restored from its snapshot: the columns are made again from the documents.
          if (i === Math.floor(ops.length / 2))
            index = DocIndex.fromSnapshot<Doc>(options, structuredClone(index.toSnapshot()))
        }
      }),
      { numRuns: 300 },
    )
    expect(found).toBeGreaterThan(300)
  })

  it('are not read from the stored documents', () => {
    const index = new DocIndex<Doc>(options)
    for (let i = 0; i < 10; i++)
      index.upsert({
        id: `d${i}`,
        name: '张伟',
        at: 1000 + i,
        kind: i % 2 === 0 ? 'image' : 'text',
        labels: i % 2 === 0 ? ['image'] : ['text'],
      })
    const search = (query: Query) =>
      index.search({ query, sort: [{ field: { name: 'at', order: 'desc' } }], limit: 100 })
    const named: Query = { term: { field: 'name', value: '张伟' } }
    const ranged: Query = { bool: { must: [{ range: { field: 'at', gte: 1005 } }], filter: [named] } }
    const typed: Query = {
      bool: { must: [{ terms: { field: 'kind', values: ['image'] } }], filter: [named] },
    }
    const labelled: Query = {
      bool: { must: [{ terms: { field: 'labels', values: ['image'] } }], filter: [named] },
    }
    expect(search(ranged).total).toBe(5)
    expect(search(typed).total).toBe(5)
    expect(search(labelled).total).toBe(5)
    // The engine never changes a stored document; changed here, the columns still answer as indexed.
    for (const hit of search(named).hits) {
      const doc = hit.document as Doc
      doc.at = 0
      doc.kind = 'changed'
      doc.labels = []
    }
    expect(search(ranged).total).toBe(5)
    expect(search(typed).total).toBe(5)
    expect(search(labelled).total).toBe(5)
    expect(search(named).hits.map((h) => h.id)).toEqual([
      'd9',
      'd8',
      'd7',
      'd6',
      'd5',
      'd4',
      'd3',
      'd2',
      'd1',
      'd0',
    ])
  })

  it('measure distances from the point column, not the stored documents', () => {
    const index = new DocIndex<Doc>(options)
    for (let i = 0; i < 5; i++)
      index.upsert({ id: `d${i}`, name: '张伟', place: { lat: WEST_LAKE.lat + i / 100, lon: WEST_LAKE.lon } })
    const nearest = () =>
      index.search({
        query: { geo_distance: { field: 'place', center: WEST_LAKE, distance: 3_000 } },
        sort: [{ geo_distance: { field: 'place', center: WEST_LAKE, order: 'asc' } }],
        limit: 10,
      })
    expect(nearest().hits.map((h) => h.id)).toEqual(['d0', 'd1', 'd2'])
    for (const hit of nearest().hits) (hit.document as Doc).place = { lat: 0, lon: 0 }
    expect(nearest().hits.map((h) => h.id)).toEqual(['d0', 'd1', 'd2'])
  })
})
