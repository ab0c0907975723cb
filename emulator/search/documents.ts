/**
 * @module Turns table rows into search documents, the way the index sync parses columns.
 *
 * Array fields come from STRING columns holding a JSON array, NESTED fields from STRING columns
 * holding a JSON array of objects (a single object is accepted too), GEO_POINT from "lat,lon".
 * A row whose indexed columns cannot be parsed (wrong type, bad JSON, more than 256 array
 * elements or nested children, over-long keyword) is **not indexed at all**: it is dropped from
 * the index and the reason is recorded (see `SearchIndex.errors`). Production likewise refuses
 * such rows during sync; dropping the whole row keeps the failure visible instead of silently
 * indexing half a document.
 */
import type { StoredRow } from '../model/row.ts'
import type { Value } from '../model/values.ts'
import type { Token } from './analyzers.ts'
import { analyze, fuzzyNormalize } from './analyzers.ts'
import type { GeoPoint } from './geo.ts'
import { tryParseGeoPoint } from './geo.ts'
import type { FieldSpec, SearchSchema } from './schema.ts'

/** Documented limits on array elements and nested child rows. */
export const MAX_ARRAY_ELEMENTS = 256
export const MAX_NESTED_CHILDREN = 256
/** Keyword values are limited to 4 KB. */
const MAX_KEYWORD_BYTES = 4096

export type IndexedField =
  | { readonly type: 'LONG'; readonly values: readonly bigint[] }
  | { readonly type: 'DOUBLE'; readonly values: readonly number[] }
  | { readonly type: 'BOOLEAN'; readonly values: readonly boolean[] }
  | { readonly type: 'KEYWORD'; readonly values: readonly string[] }
  | {
      readonly type: 'TEXT'
      readonly values: readonly string[]
      /** Tokens per array element (positions restart per element). */
      readonly tokens: readonly (readonly Token[])[]
      /** Lower-cased, capped text per element for fuzzy substring matching. */
      readonly fuzzy?: readonly string[]
    }
  | { readonly type: 'GEO_POINT'; readonly values: readonly GeoPoint[] }
  | { readonly type: 'NESTED'; readonly children: readonly FieldBag[] }

/** Indexed fields of one document or nested child, keyed by full field path. */
export type FieldBag = ReadonlyMap<string, IndexedField>

/** A document: the row snapshot it was built from and its indexed fields. */
export interface IndexedDoc {
  readonly row: StoredRow
  readonly fields: FieldBag
}

/** Raised for rows the index refuses. */
export class IndexingError extends Error {
  override readonly name = 'IndexingError'
}

type Json = string | number | boolean | null | Json[] | { [k: string]: Json }

function fail(spec: FieldSpec, reason: string): never {
  throw new IndexingError(`field ${spec.path}: ${reason}`)
}

function parseJson(spec: FieldSpec, text: string): Json {
  try {
    return JSON.parse(text) as Json
  } catch {
    return fail(spec, 'the column does not hold valid JSON')
  }
}

/** Converts one scalar (from a cell or a JSON element) to the field's type. */
function scalar(spec: FieldSpec, v: Value | Json): bigint | number | boolean | string | GeoPoint {
  const cell = typeof v === 'object' && v !== null && 'kind' in v ? (v as Value) : undefined
  const raw = cell ? cell.value : (v as Json)
  switch (spec.type) {
    case 'LONG':
      if (cell?.kind === 'INTEGER') return cell.value
      if (!cell && typeof raw === 'number' && Number.isInteger(raw)) return BigInt(raw)
      return fail(spec, `expected an integer for LONG, got ${describe(v)}`)
    case 'DOUBLE':
      if (cell?.kind === 'DOUBLE' || cell?.kind === 'INTEGER') return Number(cell.value)
      if (!cell && typeof raw === 'number') return raw
      return fail(spec, `expected a number for DOUBLE, got ${describe(v)}`)
    case 'BOOLEAN':
      if (typeof raw === 'boolean' && (!cell || cell.kind === 'BOOLEAN')) return raw
      return fail(spec, `expected a boolean, got ${describe(v)}`)
    case 'KEYWORD':
    case 'TEXT':
      if (typeof raw === 'string' && (!cell || cell.kind === 'STRING')) {
        if (spec.type === 'KEYWORD' && Buffer.byteLength(raw) > MAX_KEYWORD_BYTES)
          fail(spec, 'keyword longer than 4 KB')
        return raw
      }
      return fail(spec, `expected a string, got ${describe(v)}`)
    case 'GEO_POINT': {
      const point =
        typeof raw === 'string' && (!cell || cell.kind === 'STRING') ? tryParseGeoPoint(raw) : undefined
      return point ?? fail(spec, `expected "lat,lon", got ${describe(v)}`)
    }
    case 'NESTED':
      return fail(spec, 'nested values are not scalars')
  }
}

function describe(v: Value | Json): string {
  if (typeof v === 'object' && v !== null && 'kind' in v) return `${String(v.kind)} column`
  return JSON.stringify(v)?.slice(0, 40) ?? String(v)
}

function build(spec: FieldSpec, values: readonly (Value | Json)[]): IndexedField | undefined {
  if (values.length === 0) return undefined
  if (values.length > MAX_ARRAY_ELEMENTS)
    fail(spec, `array has ${values.length} elements, more than ${MAX_ARRAY_ELEMENTS}`)
  const scalars = values.map((v) => scalar(spec, v))
  switch (spec.type) {
    case 'LONG':
      return { type: 'LONG', values: scalars as bigint[] }
    case 'DOUBLE':
      return { type: 'DOUBLE', values: scalars as number[] }
    case 'BOOLEAN':
      return { type: 'BOOLEAN', values: scalars as boolean[] }
    case 'KEYWORD':
      return { type: 'KEYWORD', values: scalars as string[] }
    case 'GEO_POINT':
      return { type: 'GEO_POINT', values: scalars as GeoPoint[] }
    case 'TEXT': {
      const texts = scalars as string[]
      const analyzer = spec.analyzer ?? { name: 'single_word', caseSensitive: false, delimitWord: false }
      return {
        type: 'TEXT',
        values: texts,
        tokens: texts.map((t) => analyze(analyzer, t)),
        ...(analyzer.name === 'fuzzy' ? { fuzzy: texts.map(fuzzyNormalize) } : {}),
      }
    }
    case 'NESTED':
      return fail(spec, 'unreachable')
  }
}

function nestedChildren(spec: FieldSpec, json: Json): FieldBag[] {
  const list = Array.isArray(json) ? json : [json]
  if (list.length > MAX_NESTED_CHILDREN)
    fail(spec, `nested value has ${list.length} children, more than ${MAX_NESTED_CHILDREN}`)
  return list.map((child) => {
    if (typeof child !== 'object' || child === null || Array.isArray(child))
      return fail(spec, 'nested children must be JSON objects')
    const bag = new Map<string, IndexedField>()
    for (const sub of spec.children) {
      const value = child[sub.name]
      if (value === undefined || value === null) continue
      const field = fromJson(sub, value)
      if (field) bag.set(sub.path, field)
    }
    return bag
  })
}

function fromJson(spec: FieldSpec, value: Json): IndexedField | undefined {
  if (spec.type === 'NESTED') {
    const children = nestedChildren(spec, value)
    return children.length > 0 ? { type: 'NESTED', children } : undefined
  }
  if (spec.isArray) {
    if (!Array.isArray(value)) return fail(spec, 'an array field needs a JSON array')
    return build(spec, value)
  }
  if (Array.isArray(value)) return fail(spec, 'a JSON array in a field that is not an array field')
  return build(spec, [value])
}

function fromCell(spec: FieldSpec, value: Value): IndexedField | undefined {
  if (spec.type === 'NESTED' || spec.isArray) {
    if (value.kind !== 'STRING')
      return fail(
        spec,
        `${spec.type === 'NESTED' ? 'nested' : 'array'} fields need a STRING column holding JSON`,
      )
    return fromJson(spec, parseJson(spec, value.value))
  }
  return build(spec, [value])
}

/** Builds the document for a row; throws {@link IndexingError} when the row cannot be indexed. */
export function buildDocument(schema: SearchSchema, row: StoredRow): IndexedDoc {
  const fields = new Map<string, IndexedField>()
  for (const spec of schema.fields) {
    const value = row.columns.get(spec.name)?.value ?? row.pk.find((c) => c.name === spec.name)?.value
    if (!value) continue
    const field = fromCell(spec, value)
    if (field) fields.set(spec.path, field)
  }
  return { row, fields }
}
