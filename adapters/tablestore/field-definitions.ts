/**
 * @module Search index field definitions in one canonical form, whether written by the code
 * (`schema.ts`, the SDK's request shape) or read back by DescribeSearchIndex (the protobuf
 * shape: `isArray` for `isAnArray`, `docValues` for `enableSortAndAgg`), so that setup compares
 * whole definitions: type, analyzer and its parameters, array, sort and aggregation, index and
 * store options, highlighting, nested fields. The SDK sends a boolean option only when it is true
 * (`_makeFieldSchema`: `x || null`), so an option that is absent, null or false is off on both sides.
 */
import { createHash } from 'node:crypto'
import type { SearchFieldSchema } from './schema.ts'

/** A field as DescribeSearchIndex answers it (SDK 5.6.5 decodes the protobuf as it is). */
export interface DescribedField {
  fieldName: string
  fieldType?: number
  index?: boolean | null
  store?: boolean | null
  isArray?: boolean | null
  docValues?: boolean | null
  enableHighlighting?: boolean | null
  analyzer?: string | null
  analyzerParameter?: { delimiter?: string | null; minChars?: number | null; maxChars?: number | null } | null
  indexOptions?: number | null
  fieldSchemas?: DescribedField[] | null
}

export interface CanonicalField {
  name: string
  type: number | null
  index: boolean
  store: boolean
  array: boolean
  sortAndAgg: boolean
  highlighting: boolean
  analyzer: string | null
  analyzerParameter: string | null
  indexOptions: number | null
  fields: CanonicalField[]
}

type AnyField = SearchFieldSchema | DescribedField

const on = (value: unknown) => value === true

function parameter(field: AnyField): string | null {
  const p = field.analyzerParameter as Record<string, unknown> | null | undefined
  if (!p) return null
  // Only the parameters Tablestore's analyzers take, in a fixed order.
  const parts = ['delimiter', 'minChars', 'maxChars']
    .filter((key) => p[key] !== undefined && p[key] !== null)
    .map((key) => `${key}=${String(p[key])}`)
  return parts.length > 0 ? parts.join(',') : null
}

/** The canonical form of a field from either side. */
export function canonicalField(field: AnyField): CanonicalField {
  const written = field as SearchFieldSchema
  const described = field as DescribedField
  return {
    name: field.fieldName,
    type: field.fieldType ?? null,
    index: on(field.index),
    store: on(field.store),
    array: on(written.isAnArray) || on(described.isArray),
    sortAndAgg: on(written.enableSortAndAgg) || on(described.docValues),
    highlighting: on(field.enableHighlighting),
    // Protobuf's default for an absent string is "".
    analyzer: field.analyzer || null,
    analyzerParameter: parameter(field),
    indexOptions: (described.indexOptions as number | null | undefined) ?? null,
    fields: canonicalFields(field.fieldSchemas ?? []),
  }
}

/** Fields in canonical form, ordered by name. */
export function canonicalFields(fields: readonly AnyField[]): CanonicalField[] {
  return fields.map(canonicalField).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
}

/** The canonical property of each option the code may set, and the request shape's name for it. */
const SET_BY: Record<
  Exclude<keyof CanonicalField, 'name' | 'fields'>,
  keyof SearchFieldSchema | 'indexOptions'
> = {
  type: 'fieldType',
  index: 'index',
  store: 'store',
  array: 'isAnArray',
  sortAndAgg: 'enableSortAndAgg',
  highlighting: 'enableHighlighting',
  analyzer: 'analyzer',
  analyzerParameter: 'analyzerParameter',
  indexOptions: 'indexOptions',
}

/**
 * What differs between the fields an index has and the fields the code wants, one line per field
 * ("nameCompact: analyzerParameter …"); empty when they agree. Only the options the code sets are
 * compared: Tablestore fills the others with its defaults (an analyzer for TEXT, index options),
 * which the code leaves to it, and a change of the code's own definition is a new index name anyway.
 */
export function fieldDifferences(
  have: readonly AnyField[],
  want: readonly SearchFieldSchema[],
  path = '',
): string[] {
  const existing = new Map(have.map((f) => [f.fieldName, f]))
  const out: string[] = []
  for (const wanted of want) {
    const name = `${path}${wanted.fieldName}`
    const found = existing.get(wanted.fieldName)
    if (!found) {
      out.push(`${name}: added`)
      continue
    }
    const a = canonicalField(found)
    const b = canonicalField(wanted)
    const changed = (Object.keys(SET_BY) as (keyof typeof SET_BY)[])
      .filter((key) => (wanted as unknown as Record<string, unknown>)[SET_BY[key]] !== undefined)
      .filter((key) => JSON.stringify(a[key]) !== JSON.stringify(b[key]))
      .map((key) => `${key} ${JSON.stringify(a[key])} → ${JSON.stringify(b[key])}`)
    if (changed.length > 0) out.push(`${name}: ${changed.join(', ')}`)
    out.push(...fieldDifferences(found.fieldSchemas ?? [], wanted.fieldSchemas ?? [], `${name}.`))
  }
  const wantedNames = new Set(want.map((f) => f.fieldName))
  for (const name of existing.keys()) if (!wantedNames.has(name)) out.push(`${path}${name}: removed`)
  return out
}

/**
 * A short digest of a definition: the search index of a table is named after it, so that code with
 * a changed definition reads an index built with it, and setup builds that index beside the one
 * the running code reads (see `setup.ts`).
 */
export function definitionDigest(fields: readonly SearchFieldSchema[]): string {
  return createHash('sha256')
    .update(JSON.stringify(canonicalFields(fields)))
    .digest('hex')
    .slice(0, 10)
}
