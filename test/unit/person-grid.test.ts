/** Unit: people's positions are indexed on a 0.001° grid, so no search can place them more finely. */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { haversineMetres } from '../../src/geo/distance.ts'
import { personGridPoint } from '../../src/geo/person-grid.ts'
import { userDocument } from '../../src/services/documents.ts'

const point = fc.record({
  lat: fc.double({ min: -90, max: 90, noNaN: true }),
  lon: fc.double({ min: -180, max: 180, noNaN: true }),
})

describe('person grid', () => {
  it('moves a point at most half a cell diagonal (< 79 m) and stays a valid coordinate', () => {
    fc.assert(
      fc.property(point, (p) => {
        const g = personGridPoint(p)
        expect(haversineMetres(p, g)).toBeLessThan(79)
        expect(Math.abs(g.lat)).toBeLessThanOrEqual(90)
        expect(Math.abs(g.lon)).toBeLessThanOrEqual(180)
      }),
    )
  })

  it('maps every point of a cell to the same short decimal', () => {
    expect(personGridPoint({ lat: 30.263093, lon: 120.13362 })).toEqual({ lat: 30.263, lon: 120.134 })
    expect(personGridPoint({ lat: 30.26349, lon: 120.13351 })).toEqual({ lat: 30.263, lon: 120.134 })
  })

  it('is what the discovery index holds for a person, so filters never test the exact point', () => {
    const user = { userId: 'u1', name: '张伟', tags: [], discoverable: true, profile: {} }
    expect(userDocument({ ...user, location: { lat: 30.2630931, lon: 120.1336249 } }).location).toEqual({
      lat: 30.263,
      lon: 120.134,
    })
    expect(userDocument(user).location).toBeUndefined()
  })
})
