/** @module Geo arithmetic shared by the embedded backend, the services and the oracle. */
import type { GeoPoint } from '../domain/geo-point.ts'

/** Mean Earth radius (IUGG), the value Elasticsearch and Lucene use for haversine. */
const EARTH_RADIUS_M = 6_371_008.8

const rad = (deg: number) => (deg * Math.PI) / 180

/** Great-circle distance in metres (haversine). */
export function haversineMetres(a: GeoPoint, b: GeoPoint): number {
  const dLat = rad(b.lat - a.lat)
  const dLon = rad(b.lon - a.lon)
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(rad(a.lat)) * Math.cos(rad(b.lat)) * Math.sin(dLon / 2) ** 2
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)))
}

/** A box given by its north-west and south-east corners; `west > east` crosses the antimeridian. */
export interface GeoBox {
  topLeft: GeoPoint
  bottomRight: GeoPoint
}

export function inBox(p: GeoPoint, box: GeoBox): boolean {
  if (p.lat > box.topLeft.lat || p.lat < box.bottomRight.lat) return false
  const { lon: west } = box.topLeft
  const { lon: east } = box.bottomRight
  return west <= east ? p.lon >= west && p.lon <= east : p.lon >= west || p.lon <= east
}

/**
 * Point in polygon by ray casting on lat/lon as planar coordinates: exact enough for city-scale
 * geo-fences, which is what the product offers; a point on an edge counts as inside.
 */
export function inPolygon(p: GeoPoint, polygon: readonly GeoPoint[]): boolean {
  let inside = false
  for (let i = 0, j = polygon.length - 1; i < polygon.length; j = i++) {
    const a = polygon[i] as GeoPoint
    const b = polygon[j] as GeoPoint
    if (onSegment(p, a, b)) return true
    const crosses = a.lat > p.lat !== b.lat > p.lat
    if (crosses && p.lon < ((b.lon - a.lon) * (p.lat - a.lat)) / (b.lat - a.lat) + a.lon) inside = !inside
  }
  return inside
}

function onSegment(p: GeoPoint, a: GeoPoint, b: GeoPoint): boolean {
  const cross = (b.lat - a.lat) * (p.lon - a.lon) - (b.lon - a.lon) * (p.lat - a.lat)
  if (Math.abs(cross) > 1e-12) return false
  return (
    Math.min(a.lat, b.lat) <= p.lat &&
    p.lat <= Math.max(a.lat, b.lat) &&
    Math.min(a.lon, b.lon) <= p.lon &&
    p.lon <= Math.max(a.lon, b.lon)
  )
}

/** Distances are shown rounded to 100 m so that a hit never pins anyone's location down. */
export function roundDistance(metres: number): number {
  return Math.round(metres / 100) * 100
}
