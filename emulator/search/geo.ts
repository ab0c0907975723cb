/**
 * @module GEO_POINT parsing ("lat,lon") and the geometry behind geo queries and sorts.
 */
import { invalidParameter } from '../errors.ts'

export interface GeoPoint {
  readonly lat: number
  readonly lon: number
}

/** Parses "lat,lon"; returns undefined when malformed or out of range. */
export function tryParseGeoPoint(text: string): GeoPoint | undefined {
  const parts = text.split(',')
  if (parts.length !== 2) return undefined
  const lat = Number(parts[0]?.trim())
  const lon = Number(parts[1]?.trim())
  if (!Number.isFinite(lat) || !Number.isFinite(lon)) return undefined
  if (lat < -90 || lat > 90 || lon < -180 || lon > 180) return undefined
  return { lat, lon }
}

/** Parses a query-side point; malformed input is a client error. */
export function parseGeoPoint(text: string, what: string): GeoPoint {
  const p = tryParseGeoPoint(text)
  if (!p) throw invalidParameter(`Invalid geo point for ${what}: '${text}' (expected "lat,lon").`)
  return p
}

/** Mean Earth radius in metres, as used for arc distances by Lucene/Elasticsearch. */
const EARTH_RADIUS_M = 6371008.7714

/** Great-circle (haversine) distance in metres. */
export function arcDistance(a: GeoPoint, b: GeoPoint): number {
  const toRad = Math.PI / 180
  const dLat = (b.lat - a.lat) * toRad
  const dLon = (b.lon - a.lon) * toRad
  const h =
    Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * toRad) * Math.cos(b.lat * toRad) * Math.sin(dLon / 2) ** 2
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)))
}

/** Planar approximation (GEO_DISTANCE_PLANE): equirectangular projection. */
export function planeDistance(a: GeoPoint, b: GeoPoint): number {
  const toRad = Math.PI / 180
  const x = (b.lon - a.lon) * toRad * Math.cos(((a.lat + b.lat) / 2) * toRad)
  const y = (b.lat - a.lat) * toRad
  return Math.sqrt(x * x + y * y) * EARTH_RADIUS_M
}

/** Whether `p` lies in the box; a box whose left edge is east of its right edge crosses the antimeridian. */
export function inBoundingBox(p: GeoPoint, topLeft: GeoPoint, bottomRight: GeoPoint): boolean {
  if (p.lat > topLeft.lat || p.lat < bottomRight.lat) return false
  if (topLeft.lon <= bottomRight.lon) return p.lon >= topLeft.lon && p.lon <= bottomRight.lon
  return p.lon >= topLeft.lon || p.lon <= bottomRight.lon
}

/** Ray-casting point-in-polygon on the lat/lon plane (points on an edge count as inside). */
export function inPolygon(p: GeoPoint, polygon: readonly GeoPoint[]): boolean {
  let inside = false
  for (let i = 0, j = polygon.length - 1; i < polygon.length; j = i++) {
    const a = polygon[i]
    const b = polygon[j]
    if (!a || !b) continue
    if (onSegment(p, a, b)) return true
    if (a.lat > p.lat !== b.lat > p.lat) {
      const lonAt = ((b.lon - a.lon) * (p.lat - a.lat)) / (b.lat - a.lat) + a.lon
      if (p.lon < lonAt) inside = !inside
    }
  }
  return inside
}

function onSegment(p: GeoPoint, a: GeoPoint, b: GeoPoint): boolean {
  const cross = (b.lon - a.lon) * (p.lat - a.lat) - (b.lat - a.lat) * (p.lon - a.lon)
  if (Math.abs(cross) > 1e-12) return false
  return (
    p.lon >= Math.min(a.lon, b.lon) &&
    p.lon <= Math.max(a.lon, b.lon) &&
    p.lat >= Math.min(a.lat, b.lat) &&
    p.lat <= Math.max(a.lat, b.lat)
  )
}
