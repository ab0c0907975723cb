/**
 * @module Geo filters answered from a point column (`point-column.ts`) against a plain filter
 * over the live documents with the same geometry: radius, box and polygon, through writes and
 * removals after the column was made, an index restored from its snapshot, and points that are
 * not two numbers (missing, a string coordinate, a missing coordinate: read from the document).
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { DocIndex, type DocIndexOptions } from '../../adapters/memory/doc-index.ts'
import type { GeoPoint } from '../../src/domain/geo-point.ts'
import { haversineMetres, inBox, inPolygon } from '../../src/geo/distance.ts'
import type { Query } from '../../src/query/dsl.ts'

interface Doc {
  id: string
  location?: unknown
}

const options: DocIndexOptions = {
  schema: { id: { type: 'keyword' }, location: { type: 'geo_point' } },
  idField: 'id',
}

/** Around West Lake, Hangzhou: within a few grid cells (0.02°) of the centre. */
const CENTRE = { lat: 30.2741, lon: 120.1551 }
const pointArb = fc.record({
  lat: fc.double({ min: 30.2, max: 30.35, noNaN: true }),
  lon: fc.double({ min: 120.05, max: 120.25, noNaN: true }),
})
const locationArb = fc.oneof(
  { weight: 8, arbitrary: pointArb },
  { weight: 1, arbitrary: fc.constantFrom(undefined, { lat: '30.27', lon: 120.15 }, { lat: 30.27 }) },
)
const POLYGON = [
  { lat: 30.22, lon: 120.1 },
  { lat: 30.32, lon: 120.12 },
  { lat: 30.3, lon: 120.22 },
  { lat: 30.24, lon: 120.2 },
]
const BOX = { topLeft: { lat: 30.3, lon: 120.1 }, bottomRight: { lat: 30.25, lon: 120.2 } }

const opArb = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant('put' as const),
      id: fc.integer({ min: 0, max: 30 }),
      location: locationArb,
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('remove' as const), id: fc.integer({ min: 0, max: 30 }) }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('search' as const),
      area: fc.constantFrom('radius', 'box', 'polygon'),
      metres: fc.constantFrom(500, 3000, 8000),
    }),
  },
)

describe('geo filters from a point column', () => {
  it('match as a plain filter over the live documents', () => {
    let found = 0
    fc.assert(
      fc.property(fc.array(opArb, { minLength: 5, maxLength: 50 }), (ops) => {
        let index = new DocIndex<Doc>(options)
        const live = new Map<string, Doc>()
        for (const [i, op] of ops.entries()) {
          if (op.kind === 'put') {
            const doc: Doc = { id: `u${op.id}` }
            if (op.location !== undefined) doc.location = op.location
            index.upsert(doc)
            live.delete(doc.id)
            live.set(doc.id, doc)
          } else if (op.kind === 'remove') {
            index.remove(`u${op.id}`)
            live.delete(`u${op.id}`)
          } else {
            const [query, test]: [Query, (p: GeoPoint) => boolean] =
              op.area === 'radius'
                ? [
                    { geo_distance: { field: 'location', center: CENTRE, distance: op.metres } },
                    (p) => haversineMetres(CENTRE, p) <= op.metres,
                  ]
                : op.area === 'box'
                  ? [
                      {
                        geo_bounding_box: {
                          field: 'location',
                          top_left: BOX.topLeft,
                          bottom_right: BOX.bottomRight,
                        },
                      },
                      (p) => inBox(p, BOX),
                    ]
                  : [{ geo_polygon: { field: 'location', points: POLYGON } }, (p) => inPolygon(p, POLYGON)]
            const matches = [...live.values()].filter(
              (d) => d.location !== undefined && test(d.location as GeoPoint),
            )
            const page = index.search({ query, limit: 100 })
            expect(page.total).toBe(matches.length)
            expect(page.hits.map((h) => h.id).sort()).toEqual(matches.map((d) => d.id).sort())
            found += matches.length
          }
          // Halfway, the index restored from its snapshot: the column is made again from the documents.
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
      index.upsert({ id: `u${i}`, location: { lat: 30.27 + i * 0.001, lon: 120.155 } })
    const query: Query = { geo_distance: { field: 'location', center: CENTRE, distance: 1000 } }
    const first = index.search({ query, limit: 100 })
    expect(first.total).toBe(10)
    // The engine never changes a stored document; moved here, the column still answers as indexed.
    ;(first.hits[0]?.document as Doc).location = { lat: 0, lon: 0 }
    expect(index.search({ query, limit: 100 }).total).toBe(10)
  })
})
