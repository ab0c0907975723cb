/**
 * @module Rows kept sorted by primary key, with binary search for point and range access.
 *
 * An array with splice is O(n) per insert, which is fine for a test emulator and keeps range scans
 * a simple slice walk in either direction.
 */
import type { PkBound, PrimaryKey, StoredRow } from '../model/row.ts'
import { comparePk } from '../model/row.ts'

export class SortedRows {
  #rows: StoredRow[] = []

  get size(): number {
    return this.#rows.length
  }

  /** Index of the first row whose key is >= `key` (or the insertion point). */
  lowerBound(key: PkBound): number {
    let lo = 0
    let hi = this.#rows.length
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      const row = this.#rows[mid]
      if (row && comparePk(row.pk, key) < 0) lo = mid + 1
      else hi = mid
    }
    return lo
  }

  get(key: PrimaryKey): StoredRow | undefined {
    const row = this.#rows[this.lowerBound(key)]
    return row && comparePk(row.pk, key) === 0 ? row : undefined
  }

  at(index: number): StoredRow | undefined {
    return this.#rows[index]
  }

  /** Inserts or replaces the row with the same key. */
  set(row: StoredRow): void {
    const i = this.lowerBound(row.pk)
    const existing = this.#rows[i]
    if (existing && comparePk(existing.pk, row.pk) === 0) this.#rows[i] = row
    else this.#rows.splice(i, 0, row)
  }

  delete(key: PrimaryKey): StoredRow | undefined {
    const i = this.lowerBound(key)
    const existing = this.#rows[i]
    if (!existing || comparePk(existing.pk, key) !== 0) return undefined
    this.#rows.splice(i, 1)
    return existing
  }

  /** All rows in key order (a copy, safe to hold while writes continue). */
  all(): StoredRow[] {
    return [...this.#rows]
  }
}
