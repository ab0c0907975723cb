/**
 * @module Search index schemas: field types, analyzers, server-side defaults and validation.
 *
 * The Node SDK never sends `false` for index/enableSortAndAgg/store/isArray (it writes `x || null`),
 * so the server defaults apply: indexed and stored; sortable and aggregatable only with
 * `enableSortAndAgg: true` (see `sortable` below).
 */
import { invalidParameter, unsupported } from '../errors.ts'
import type { FieldSchemaMsg, IndexSchemaMsg } from '../protocol/messages.ts'
import { decodeAs, has, searchMessage } from '../protocol/proto.ts'
import type { Analyzer } from './analyzers.ts'
import type { SortSpec } from './sort-spec.ts'
import { decodeSort } from './sort-spec.ts'

export type FieldType = 'LONG' | 'DOUBLE' | 'BOOLEAN' | 'KEYWORD' | 'TEXT' | 'NESTED' | 'GEO_POINT'

const FIELD_TYPES: Record<number, FieldType> = {
  1: 'LONG',
  2: 'DOUBLE',
  3: 'BOOLEAN',
  4: 'KEYWORD',
  5: 'TEXT',
  6: 'NESTED',
  7: 'GEO_POINT',
}

/** One indexed field. `path` is the full dotted name (`tags.k` for a child of nested `tags`). */
export interface FieldSpec {
  readonly path: string
  readonly name: string
  readonly type: FieldType
  readonly isArray: boolean
  readonly sortable: boolean
  /** `enable_highlighting`: the field's matches can be highlighted (TEXT only). */
  readonly highlight: boolean
  readonly analyzer?: Analyzer
  readonly children: readonly FieldSpec[]
  /** The enclosing NESTED field's path, if any. */
  readonly nestedParent?: string
}

export interface SearchSchema {
  readonly fields: readonly FieldSpec[]
  readonly byPath: ReadonlyMap<string, FieldSpec>
  readonly indexSort: readonly SortSpec[]
  /** The schema as sent, echoed back by DescribeSearchIndex. */
  readonly raw: IndexSchemaMsg
}

/** Documented limits: 1000 fields per index, nesting up to 5 levels. */
const MAX_FIELDS = 1000
const MAX_NESTED_DEPTH = 5

function parseAnalyzer(f: FieldSchemaMsg): Analyzer | undefined {
  const name = has(f, 'analyzer') && f.analyzer ? f.analyzer : undefined
  const params = has(f, 'analyzerParameter') ? f.analyzerParameter : undefined
  if (f.fieldType !== 5) {
    if (name) throw invalidParameter(`Field ${f.fieldName}: an analyzer can only be set on a TEXT field.`)
    return undefined
  }
  switch (name ?? 'single_word') {
    case 'single_word': {
      const p = decodeAs<{ caseSensitive?: boolean; delimitWord?: boolean }>(
        searchMessage('SingleWordAnalyzerParameter'),
        params ?? new Uint8Array(),
      )
      return {
        name: 'single_word',
        caseSensitive: p.caseSensitive === true,
        delimitWord: p.delimitWord === true,
      }
    }
    case 'split': {
      const p = decodeAs<{ delimiter?: string }>(
        searchMessage('SplitAnalyzerParameter'),
        params ?? new Uint8Array(),
      )
      return { name: 'split', delimiter: has(p, 'delimiter') && p.delimiter ? p.delimiter : undefined }
    }
    case 'fuzzy': {
      const p = decodeAs<{ minChars?: number; maxChars?: number }>(
        searchMessage('FuzzyAnalyzerParameter'),
        params ?? new Uint8Array(),
      )
      const minChars = has(p, 'minChars') ? (p.minChars ?? 1) : 1
      const maxChars = has(p, 'maxChars') ? (p.maxChars ?? 7) : 7
      if (minChars < 1 || maxChars < minChars || maxChars > 7)
        throw invalidParameter(`Field ${f.fieldName}: fuzzy analyzer needs 1 <= minChars <= maxChars <= 7.`)
      return { name: 'fuzzy', minChars, maxChars }
    }
    case 'min_word':
    case 'max_word':
      throw unsupported(`The ${name} analyzer (Chinese word segmentation)`)
    default:
      throw invalidParameter(`Field ${f.fieldName}: unknown analyzer '${name}'.`)
  }
}

function parseField(f: FieldSchemaMsg, prefix: string, depth: number, nestedParent?: string): FieldSpec {
  if (!f.fieldName) throw invalidParameter('A field schema needs a field name.')
  const type = FIELD_TYPES[f.fieldType]
  if (f.fieldType === 8) throw unsupported('The DATE field type')
  if (f.fieldType === 9) throw unsupported('The VECTOR field type')
  if (!type) throw invalidParameter(`Field ${f.fieldName}: unknown field type ${f.fieldType}.`)
  if (has(f, 'isVirtualField') && f.isVirtualField) throw unsupported('Virtual fields')
  if (f.dateFormats.length > 0)
    throw invalidParameter(`Field ${f.fieldName}: date formats only apply to DATE fields.`)
  const path = prefix ? `${prefix}.${f.fieldName}` : f.fieldName
  const analyzer = parseAnalyzer(f)
  const highlight = has(f, 'enableHighlighting') && f.enableHighlighting === true
  // Highlight (https://alibabacloud.com/help/en/tablestore/developer-reference/query-highlight-by-using-nodejs-sdk):
  // "Only Text fields support the highlight feature."
  if (highlight && type !== 'TEXT')
    throw invalidParameter(`Field ${path}: only TEXT fields can enable highlighting, ${path} is ${type}.`)
  let children: FieldSpec[] = []
  if (type === 'NESTED') {
    if (depth >= MAX_NESTED_DEPTH)
      throw invalidParameter(`Nested fields can be at most ${MAX_NESTED_DEPTH} levels deep.`)
    if (f.fieldSchemas.length === 0) throw invalidParameter(`Nested field ${path} needs sub-field schemas.`)
    children = f.fieldSchemas.map((c) => parseField(c, path, depth + 1, path))
  } else if (f.fieldSchemas.length > 0) {
    throw invalidParameter(`Field ${path}: only NESTED fields have sub-fields.`)
  }
  return {
    path,
    name: f.fieldName,
    type,
    isArray: has(f, 'isArray') && f.isArray === true,
    // FieldSchema (https://alibabacloud.com/help/en/tablestore/developer-reference/fieldschema):
    // "sort_and_agg: ... Only fields that have this feature enabled can be used for sorting", with no
    // default stated (unlike `index`, "default true"); the error page for sorting or aggregating on
    // such a field says it happens when "the enable_sort_and_agg parameter was not set to true". So a
    // field sorts and aggregates only when it was created with it (the Node SDK sends it only when
    // true); TEXT and NESTED never do.
    sortable: has(f, 'docValues') && f.docValues === true && type !== 'TEXT' && type !== 'NESTED',
    highlight,
    ...(analyzer ? { analyzer } : {}),
    children,
    ...(nestedParent ? { nestedParent } : {}),
  }
}

function collect(fields: readonly FieldSpec[], into: Map<string, FieldSpec>): void {
  for (const f of fields) {
    if (into.has(f.path)) throw invalidParameter(`Duplicated field name: ${f.path}.`)
    into.set(f.path, f)
    collect(f.children, into)
  }
}

/** Parses and validates a CreateSearchIndex schema. */
export function parseSchema(raw: IndexSchemaMsg | undefined): SearchSchema {
  if (!raw || raw.fieldSchemas.length === 0)
    throw invalidParameter('A search index needs at least one field.')
  const fields = raw.fieldSchemas.map((f) => parseField(f, '', 1))
  const byPath = new Map<string, FieldSpec>()
  collect(fields, byPath)
  if (byPath.size > MAX_FIELDS)
    throw invalidParameter(`A search index can have at most ${MAX_FIELDS} fields.`)
  const routing = raw.indexSetting?.routingFields ?? []
  for (const r of routing)
    if (!byPath.has(r)) throw invalidParameter(`Routing field ${r} is not in the schema.`)
  const hasNested = fields.some((f) => f.type === 'NESTED')
  let indexSort: SortSpec[] = [{ kind: 'pk', desc: false }]
  if (raw.indexSort && raw.indexSort.sorter.length > 0) {
    if (hasNested) throw invalidParameter('Index sort is not supported on an index with NESTED fields.')
    indexSort = decodeSort(raw.indexSort, byPath)
    if (indexSort.some((s) => s.kind !== 'pk' && s.kind !== 'field'))
      throw invalidParameter('Index sort only supports PrimaryKeySort and FieldSort.')
  }
  return { fields, byPath, indexSort, raw }
}
