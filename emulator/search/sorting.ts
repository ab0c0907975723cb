/**
 * @module Sort keys for hits and their comparison: score, primary key, field values (with array
 * mode and missing values) and geo distance. Ties always fall back to the primary key, which makes
 * the order total so that search-after tokens never skip or repeat a row.
 */
import type { PrimaryKey } from '../model/row.ts'
import { comparePk } from '../model/row.ts'
import { compareUtf8 } from '../model/values.ts'
import type { CorpusStats } from './corpus-stats.ts'
import type { FieldBag, IndexedDoc } from './documents.ts'
import { arcDistance, planeDistance } from './geo.ts'
import { evaluate } from './query-eval.ts'
import type { SortMode, SortSpec } from './sort-spec.ts'

/** One sort value; null means the document has no value (sorted last in either order). */
export type KeyPart = number | bigint | string | boolean | null

export interface SortKey {
  readonly parts: readonly KeyPart[]
  readonly pk: PrimaryKey
}

export interface Hit {
  readonly doc: IndexedDoc
  readonly score: number
  readonly key: SortKey
}

function reduceMode(values: readonly (number | bigint | string | boolean)[], mode: SortMode): KeyPart {
  if (values.length === 0) return null
  if (mode === 'avg') {
    const nums = values.map((v) => Number(v))
    return nums.reduce((a, b) => a + b, 0) / nums.length
  }
  return values.reduce((best, v) => {
    const c = compareParts(v, best)
    return (mode === 'min' ? c < 0 : c > 0) ? v : best
  })
}

/** The sortable and aggregatable values a bag holds for a field (none for TEXT, GEO_POINT, NESTED). */
export function fieldValues(bag: FieldBag, path: string): (number | bigint | string | boolean)[] {
  const f = bag.get(path)
  if (!f) return []
  switch (f.type) {
    case 'LONG':
    case 'DOUBLE':
    case 'BOOLEAN':
    case 'KEYWORD':
      return [...f.values]
    default:
      return []
  }
}

function fieldPart(spec: Extract<SortSpec, { kind: 'field' }>, doc: IndexedDoc, stats: CorpusStats): KeyPart {
  let values: (number | bigint | string | boolean)[]
  const parent = spec.field.nestedParent
  if (parent !== undefined) {
    const nested = doc.fields.get(parent)
    const children = nested?.type === 'NESTED' ? nested.children : []
    const filter = spec.nestedFilter?.filter
    values = children
      .filter((child) => !filter || evaluate(filter, child, stats) !== undefined)
      .flatMap((child) => fieldValues(child, spec.field.path))
  } else {
    values = fieldValues(doc.fields, spec.field.path)
  }
  const part = reduceMode(values, spec.mode)
  if (part !== null) return part
  if (spec.missingField) return reduceMode(fieldValues(doc.fields, spec.missingField.path), spec.mode)
  if (spec.missing) return spec.missing.kind === 'BINARY' ? null : spec.missing.value
  return null
}

function geoPart(spec: Extract<SortSpec, { kind: 'geo' }>, doc: IndexedDoc): KeyPart {
  const f = doc.fields.get(spec.field.path)
  if (f?.type !== 'GEO_POINT') return null
  const distance = spec.plane ? planeDistance : arcDistance
  return reduceMode(
    f.values.flatMap((p) => spec.points.map((q) => distance(p, q))),
    spec.mode,
  )
}

function keyPart(spec: SortSpec, doc: IndexedDoc, score: number, stats: CorpusStats): KeyPart {
  if (spec.kind === 'score') return score
  if (spec.kind === 'field') return fieldPart(spec, doc, stats)
  if (spec.kind === 'geo') return geoPart(spec, doc)
  return null // primary-key sorters compare the key itself
}

/** Computes the sort key of a hit. */
export function sortKey(
  sort: readonly SortSpec[],
  doc: IndexedDoc,
  score: number,
  stats: CorpusStats,
): SortKey {
  const parts = sort.map((spec) => keyPart(spec, doc, score, stats))
  return { parts, pk: doc.row.pk }
}

/** Orders two non-null parts; numbers and bigints compare numerically across types. */
export function compareParts(a: Exclude<KeyPart, null>, b: Exclude<KeyPart, null>): number {
  if (typeof a === 'string' && typeof b === 'string') return compareUtf8(a, b)
  if (typeof a === 'bigint' && typeof b === 'bigint') return a < b ? -1 : a > b ? 1 : 0
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b)
  if (typeof a === 'string' || typeof b === 'string') return compareUtf8(String(a), String(b))
  const x = Number(a)
  const y = Number(b)
  return x < y ? -1 : x > y ? 1 : 0
}

/** Compares two sort keys under `sort`, with the primary key (ascending) as the final tiebreaker. */
export function compareKeys(sort: readonly SortSpec[], a: SortKey, b: SortKey): number {
  for (let i = 0; i < sort.length; i++) {
    const spec = sort[i]
    if (!spec) continue
    let c: number
    if (spec.kind === 'pk') c = comparePk(a.pk, b.pk)
    else {
      const x = a.parts[i] ?? null
      const y = b.parts[i] ?? null
      if (x === null || y === null) {
        // Missing values sort last whatever the order.
        if (x === y) continue
        return x === null ? 1 : -1
      }
      c = compareParts(x, y)
    }
    if (c !== 0) return spec.desc ? -c : c
  }
  return comparePk(a.pk, b.pk)
}
