/**
 * @module A `geo_point` field by document number, its latitude and longitude in a typed array: a
 * geo filter tests the grid's candidates (`geo-index.ts`, cells of about 2 km, so most of a
 * radius's candidates lie outside it) without loading each candidate's document and point object,
 * scattered in the heap; at a million messages those loads were most of a people-nearby search
 * (`bench/profile/discovery-profile.ts`). Made on the first search that needs it, from the
 * documents, then kept by every write; snapshots need not save it.
 */
import type { GeoPoint } from '../../src/domain/geo-point.ts'
import type { MemoryTally } from './memory-usage.ts'
import type { Source } from './plan.ts'

/** A document's point in the column. */
export const POINT = { none: 0, point: 1, read: 2 } as const

export class PointColumn {
  readonly #field: string
  /** Latitude and longitude side by side, so a point is one cache line. */
  #coords = new Float64Array(2048)
  /** A {@link POINT} code a document. */
  #codes = new Uint8Array(1024)

  constructor(field: string) {
    this.#field = field
  }

  add(docNo: number, source: Source): void {
    if (docNo >= this.#codes.length) this.#grow(Math.max(docNo + 1, this.#codes.length * 2))
    const point = source[this.#field] as Partial<GeoPoint> | undefined
    if (point === undefined) this.#codes[docNo] = POINT.none
    else if (typeof point?.lat === 'number' && typeof point.lon === 'number') {
      this.#coords[2 * docNo] = point.lat
      this.#coords[2 * docNo + 1] = point.lon
      this.#codes[docNo] = POINT.point
    }
    // Anything else is tested as the document holds it.
    else this.#codes[docNo] = POINT.read
  }

  /** Document `docNo`'s {@link POINT} code. */
  of(docNo: number): number {
    return this.#codes[docNo] as number
  }

  /** Document `docNo`'s point into `out` (where its code is `point`). */
  pointInto(docNo: number, out: GeoPoint): GeoPoint {
    out.lat = this.#coords[2 * docNo] as number
    out.lon = this.#coords[2 * docNo + 1] as number
    return out
  }

  memoryUsage(tally: MemoryTally): void {
    tally.add('masks', this.#coords.byteLength + this.#codes.byteLength)
  }

  #grow(length: number): void {
    const coords = new Float64Array(2 * length)
    coords.set(this.#coords)
    this.#coords = coords
    const codes = new Uint8Array(length)
    codes.set(this.#codes)
    this.#codes = codes
  }
}
