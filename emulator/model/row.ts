/**
 * @module Stored rows and primary keys, and Tablestore's primary-key ordering.
 */
import type { InfMax, InfMin, PkValue, Value } from './values.ts'
import { compareValues } from './values.ts'

/** One primary-key column of a stored row. */
export interface PkColumn {
  readonly name: string
  readonly value: PkValue
}

/** A full primary key, columns in schema order. */
export type PrimaryKey = readonly PkColumn[]

/** A range bound: per column either a value or INF_MIN / INF_MAX. */
export type PkBound = readonly { readonly name: string; readonly value: PkValue | InfMin | InfMax }[]

/** One attribute cell: the latest version only (the emulator keeps a single version). */
export interface Cell {
  readonly value: Value
  /** Version timestamp in milliseconds. */
  readonly timestamp: number
}

/** A row as held in memory. `columns` is replaced, never mutated, so snapshots stay valid. */
export interface StoredRow {
  readonly pk: PrimaryKey
  readonly columns: ReadonlyMap<string, Cell>
}

/**
 * Compares keys column by column in schema order: INTEGER numerically, STRING and BINARY
 * bytewise; INF_MIN sorts before and INF_MAX after every value.
 */
export function comparePk(a: PkBound, b: PkBound): number {
  const n = Math.min(a.length, b.length)
  for (let i = 0; i < n; i++) {
    const av = a[i]?.value
    const bv = b[i]?.value
    if (!av || !bv) break
    const c = compareBound(av, bv)
    if (c !== 0) return c
  }
  return a.length - b.length
}

function rank(v: PkValue | InfMin | InfMax): number {
  return v.kind === 'INF_MIN' ? -1 : v.kind === 'INF_MAX' ? 1 : 0
}

function compareBound(a: PkValue | InfMin | InfMax, b: PkValue | InfMin | InfMax): number {
  const ra = rank(a)
  const rb = rank(b)
  if (ra !== 0 || rb !== 0) return ra - rb
  return compareValues(a as PkValue, b as PkValue)
}

/** A stable string key for maps (search documents, sessions). */
export function pkKey(pk: PrimaryKey): string {
  return pk
    .map((c) => {
      const v = c.value
      return `${v.kind[0]}:${v.kind === 'BINARY' ? v.value.toString('base64') : String(v.value)}`
    })
    .join('\u0000')
}
