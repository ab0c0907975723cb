/** @module Geo arithmetic: haversine distances, boxes (across the antimeridian too), polygons. */
import { describe, expect, it } from 'vitest'
import type { GeoPoint } from '../../src/domain/geo-point.ts'
import { haversineMetres, inBox, inPolygon, roundDistance } from '../../src/geo/distance.ts'

const SHANGHAI = { lat: 31.2304, lon: 121.4737 }
const BEIJING = { lat: 39.9042, lon: 116.4074 }
const LONDON = { lat: 51.5074, lon: -0.1278 }
const PARIS = { lat: 48.8566, lon: 2.3522 }

describe('haversineMetres', () => {
  it('is zero for one point and symmetric', () => {
    expect(haversineMetres(SHANGHAI, SHANGHAI)).toBe(0)
    expect(haversineMetres(SHANGHAI, BEIJING)).toBeCloseTo(haversineMetres(BEIJING, SHANGHAI), 6)
  })

  it('matches known distances', () => {
    expect(haversineMetres(SHANGHAI, BEIJING) / 1000).toBeCloseTo(1067, 0)
    expect(haversineMetres(LONDON, PARIS) / 1000).toBeCloseTo(343.6, 0)
  })

  it('uses the mean Earth radius: one degree of the equator, half the circumference', () => {
    expect(haversineMetres({ lat: 0, lon: 0 }, { lat: 0, lon: 1 })).toBeCloseTo(111_195.08, 1)
    expect(haversineMetres({ lat: 0, lon: 0 }, { lat: 0, lon: 180 })).toBeCloseTo(Math.PI * 6_371_008.8, 1)
    expect(haversineMetres({ lat: 90, lon: 0 }, { lat: -90, lon: 0 })).toBeCloseTo(Math.PI * 6_371_008.8, 1)
  })

  it('goes the short way across the antimeridian', () => {
    expect(haversineMetres({ lat: 0, lon: 179.5 }, { lat: 0, lon: -179.5 })).toBeCloseTo(111_195.08, 1)
  })
})

describe('inBox', () => {
  const shanghai = { topLeft: { lat: 31.5, lon: 121.0 }, bottomRight: { lat: 31.0, lon: 121.9 } }
  const pacific = { topLeft: { lat: -10, lon: 170 }, bottomRight: { lat: -20, lon: -170 } }

  it('contains points inside and on its edges', () => {
    expect(inBox(SHANGHAI, shanghai)).toBe(true)
    expect(inBox({ lat: 31.5, lon: 121.0 }, shanghai)).toBe(true)
    expect(inBox({ lat: 31.0, lon: 121.9 }, shanghai)).toBe(true)
  })

  it('excludes points outside', () => {
    expect(inBox(BEIJING, shanghai)).toBe(false)
    expect(inBox({ lat: 31.2, lon: 122.0 }, shanghai)).toBe(false)
    expect(inBox({ lat: 31.6, lon: 121.5 }, shanghai)).toBe(false)
  })

  it('crosses the antimeridian when west > east', () => {
    expect(inBox({ lat: -18.1, lon: 178.45 }, pacific)).toBe(true) // Suva
    expect(inBox({ lat: -13.8, lon: -171.8 }, pacific)).toBe(true) // Apia
    expect(inBox({ lat: -15, lon: 180 }, pacific)).toBe(true)
    expect(inBox({ lat: -15, lon: -180 }, pacific)).toBe(true)
    expect(inBox({ lat: -15, lon: 0 }, pacific)).toBe(false)
    expect(inBox({ lat: -15, lon: 160 }, pacific)).toBe(false)
    expect(inBox({ lat: -15, lon: -160 }, pacific)).toBe(false)
    expect(inBox({ lat: -25, lon: 175 }, pacific)).toBe(false)
  })
})

describe('inPolygon', () => {
  const square: GeoPoint[] = [
    { lat: 30, lon: 120 },
    { lat: 30, lon: 121 },
    { lat: 31, lon: 121 },
    { lat: 31, lon: 120 },
  ]
  // An L: the square without its north-east quarter.
  const ell: GeoPoint[] = [
    { lat: 30, lon: 120 },
    { lat: 30, lon: 121 },
    { lat: 30.5, lon: 121 },
    { lat: 30.5, lon: 120.5 },
    { lat: 31, lon: 120.5 },
    { lat: 31, lon: 120 },
  ]

  it('contains inside points and excludes outside ones', () => {
    expect(inPolygon({ lat: 30.5, lon: 120.5 }, square)).toBe(true)
    expect(inPolygon({ lat: 31.5, lon: 120.5 }, square)).toBe(false)
    expect(inPolygon({ lat: 30.5, lon: 119.9 }, square)).toBe(false)
  })

  it('counts points on an edge or a vertex as inside', () => {
    expect(inPolygon({ lat: 30, lon: 120.5 }, square)).toBe(true)
    expect(inPolygon({ lat: 30.5, lon: 121 }, square)).toBe(true)
    expect(inPolygon({ lat: 31, lon: 121 }, square)).toBe(true)
    expect(inPolygon({ lat: 30, lon: 120 }, square)).toBe(true)
  })

  it('handles concave polygons', () => {
    expect(inPolygon({ lat: 30.25, lon: 120.75 }, ell)).toBe(true)
    expect(inPolygon({ lat: 30.75, lon: 120.25 }, ell)).toBe(true)
    expect(inPolygon({ lat: 30.75, lon: 120.75 }, ell)).toBe(false)
  })

  it('does not depend on the winding order', () => {
    const reversed = [...ell].reverse()
    for (const p of [
      { lat: 30.25, lon: 120.75 },
      { lat: 30.75, lon: 120.75 },
      { lat: 30.5, lon: 120.75 },
    ])
      expect(inPolygon(p, reversed)).toBe(inPolygon(p, ell))
  })

  it('works on a triangle around Hangzhou', () => {
    const triangle = [
      { lat: 30.5, lon: 119.9 },
      { lat: 30.5, lon: 120.5 },
      { lat: 30.0, lon: 120.2 },
    ]
    expect(inPolygon({ lat: 30.2741, lon: 120.1551 }, triangle)).toBe(true)
    expect(inPolygon(SHANGHAI, triangle)).toBe(false)
  })
})

describe('roundDistance', () => {
  it('rounds to 100 m', () => {
    expect(roundDistance(0)).toBe(0)
    expect(roundDistance(49)).toBe(0)
    expect(roundDistance(50)).toBe(100)
    expect(roundDistance(6823)).toBe(6800)
    expect(roundDistance(1_067_312)).toBe(1_067_300)
  })
})
