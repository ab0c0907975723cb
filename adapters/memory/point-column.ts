/**
 * @module A `geo_point` field by document number, latitude and longitude side by side (16 bytes
 * a document): a distance, box or polygon test of a candidate from the geo grid, and a distance
 * sort, read two numbers instead of the stored document and its point object (scattered loads,
 * as in `number-column.ts`). A value that is not an object with numeric `lat` and `lon` is held
 * as NaN, which says "read the document". Made on the first search that needs it, from the
 * documents, then kept by every write; snapshots need not save it.
 */
import type { GeoPoint } from '../../src/domain/geo-point.ts'
import type { MemoryTally } from './memory-usage.ts'
import type { Source } from './plan.ts'

export class PointColumn {
  readonly #field: string
  /** Document n's latitude at 2n, its longitude at 2n + 1. */
  #degrees = new Float64Array(2048)
  /** Documents written so far (slots past it are spare). */
  #size = 0
  /** What {@link of} returns: one object, filled again for each document read. */
  readonly #point = { lat: 0, lon: 0 }

  constructor(field: string) {
    this.#field = field
  }

  add(docNo: number, source: Source): void {
    if (2 * docNo + 1 >= this.#degrees.length) {
      // A quarter more at a time, as the other columns grow.
      const grown = new Float64Array(Math.max(2 * docNo + 2, 2 * Math.ceil(this.#degrees.length * 0.625)))
      grown.set(this.#degrees)
      this.#degrees = grown
    }
    const value = source[this.#field] as Partial<GeoPoint> | null | undefined
    const held = typeof value?.lat === 'number' && typeof value.lon === 'number'
    this.#degrees[2 * docNo] = held ? (value.lat as number) : Number.NaN
    this.#degrees[2 * docNo + 1] = held ? (value.lon as number) : Number.NaN
    if (docNo >= this.#size) this.#size = docNo + 1
  }

  /**
   * Document `docNo`'s point, or undefined: the document holds something else (read it). The
   * point is valid until the next call: test it, do not keep it.
   */
  of(docNo: number): GeoPoint | undefined {
    const lat = this.#degrees[2 * docNo] as number
    if (Number.isNaN(lat)) return undefined
    this.#point.lat = lat
    this.#point.lon = this.#degrees[2 * docNo + 1] as number
    return this.#point
  }

  /** Fitted to the documents written (called once filled, and at compactions). */
  compact(): void {
    if (this.#degrees.length > 2 * this.#size)
      this.#degrees = this.#degrees.slice(0, Math.max(2 * this.#size, 2))
  }

  memoryUsage(tally: MemoryTally): void {
    tally.add('masks', this.#degrees.byteLength)
  }
}
