/**
 * @module A `geo_point` field on a fixed grid (cells of 0.02°, about 2 km): each occupied cell
 * holds the postings of its points, so a radius or box query visits the points near it instead
 * of every document. The query's leaf still checks the exact distance or box; the grid only
 * narrows the candidates, conservatively. Areas that wrap the antimeridian or reach a pole
 * return no candidates (a scan), which is rare and always correct.
 */
import type { GeoPoint } from '../../src/domain/geo-point.ts'
import type { GeoBox } from '../../src/geo/distance.ts'
import { MAP_ENTRY_BYTES, type MemoryTally, POSTING_OBJECT_BYTES } from './memory-usage.ts'
import {
  type Candidates,
  type PackedPostings,
  Posting,
  packPostings,
  unionOf,
  unpackPostings,
} from './posting.ts'

const CELL_DEGREES = 0.02
/** Longitude cells are offset to be non-negative in a key, so keys decode with one division. */
const LON_OFFSET = Math.ceil(180 / CELL_DEGREES) + 1
const LON_CELLS = 2 * LON_OFFSET + 1
const EARTH_RADIUS_M = 6_371_008.8
/** Widens every computed bound, so rounding never drops a point on the edge. */
const SLACK_DEGREES = 1e-6

const cellOf = (degrees: number) => Math.floor(degrees / CELL_DEGREES)
const keyOf = (latCell: number, lonCell: number) => latCell * LON_CELLS + lonCell + LON_OFFSET

/** Degrees of latitude and longitude, south to north and west to east, without wrapping. */
interface Bounds {
  south: number
  north: number
  west: number
  east: number
}

/** A {@link GeoIndex} as saved: the occupied cells' keys in insertion order, their postings, then the off-grid posting. */
export interface GeoIndexSnapshot {
  cells: Float64Array
  /** One posting per cell, and last the points off the grid. */
  postings: PackedPostings
}

export class GeoIndex {
  readonly #cells = new Map<number, Posting>()
  /** Points off the grid (out of range): always candidates, so the grid never hides a match. */
  #elsewhere = new Posting()

  /** A copy of the index that later writes to it leave unchanged. */
  toSnapshot(): GeoIndexSnapshot {
    return {
      cells: Float64Array.from(this.#cells.keys()),
      postings: packPostings([...this.#cells.values(), this.#elsewhere]),
    }
  }

  static fromSnapshot(snapshot: GeoIndexSnapshot): GeoIndex {
    const index = new GeoIndex()
    const postings = unpackPostings(snapshot.postings)
    const elsewhere = postings.pop()
    if (!elsewhere || postings.length !== snapshot.cells.length)
      throw new Error('geo cells and postings differ')
    snapshot.cells.forEach((key, i) => {
      index.#cells.set(key, postings[i] as Posting)
    })
    index.#elsewhere = elsewhere
    return index
  }

  add(docNo: number, point: GeoPoint | undefined): void {
    if (!point) return
    if (!(Math.abs(point.lat) <= 90 && Math.abs(point.lon) <= 180)) {
      this.#elsewhere.push(docNo)
      return
    }
    const key = keyOf(cellOf(point.lat), cellOf(point.lon))
    let posting = this.#cells.get(key)
    if (!posting) {
      posting = new Posting()
      this.#cells.set(key, posting)
    }
    posting.push(docNo)
  }

  /** Candidates within `metres` of `center`, or undefined when the area wraps or reaches a pole. */
  near(center: GeoPoint, metres: number): Candidates | undefined {
    const angle = metres / EARTH_RADIUS_M
    if (!(angle < Math.PI / 2)) return undefined
    const dLat = (angle * 180) / Math.PI
    const south = center.lat - dLat
    const north = center.lat + dLat
    if (south <= -90 || north >= 90) return undefined
    const cosLat = Math.cos((center.lat * Math.PI) / 180)
    const ratio = Math.sin(angle) / cosLat
    if (!(ratio < 1)) return undefined
    const dLon = (Math.asin(ratio) * 180) / Math.PI
    return this.#within({ south, north, west: center.lon - dLon, east: center.lon + dLon })
  }

  /** Candidates inside the box, or undefined when it crosses the antimeridian. */
  box(box: GeoBox): Candidates | undefined {
    const { topLeft, bottomRight } = box
    if (topLeft.lon > bottomRight.lon) return undefined
    return this.#within({
      south: bottomRight.lat,
      north: topLeft.lat,
      west: topLeft.lon,
      east: bottomRight.lon,
    })
  }

  /** Postings exactly; the cell map and posting objects estimated. */
  memoryUsage(tally: MemoryTally): void {
    tally.add('postings', this.#elsewhere.byteLength)
    for (const posting of this.#cells.values()) {
      tally.add('postings', posting.byteLength)
      tally.add('terms', MAP_ENTRY_BYTES + POSTING_OBJECT_BYTES)
    }
  }

  compact(keep: (docNo: number) => boolean): void {
    this.#elsewhere.compact(keep)
    for (const [key, posting] of this.#cells) {
      posting.compact(keep)
      if (posting.length === 0) this.#cells.delete(key)
    }
  }

  #within(bounds: Bounds): Candidates | undefined {
    if (bounds.west < -180 || bounds.east > 180) return undefined
    const south = cellOf(bounds.south - SLACK_DEGREES)
    const north = cellOf(bounds.north + SLACK_DEGREES)
    const west = cellOf(bounds.west - SLACK_DEGREES)
    const east = cellOf(bounds.east + SLACK_DEGREES)
    const parts: Posting[] = [this.#elsewhere]
    if ((north - south + 1) * (east - west + 1) <= this.#cells.size) {
      for (let lat = south; lat <= north; lat++)
        for (let lon = west; lon <= east; lon++) {
          const posting = this.#cells.get(keyOf(lat, lon))
          if (posting) parts.push(posting)
        }
    } else {
      // A large area: cheaper to test every occupied cell than every cell of the area.
      for (const [key, posting] of this.#cells) {
        const lat = Math.floor(key / LON_CELLS)
        const lon = key - lat * LON_CELLS - LON_OFFSET
        if (lat >= south && lat <= north && lon >= west && lon <= east) parts.push(posting)
      }
    }
    return unionOf(parts)
  }
}
