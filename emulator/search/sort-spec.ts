/**
 * @module Sorters (query-time and index presort) decoded from the `Sort` message.
 */
import { invalidParameter, unsupported } from '../errors.ts'
import type { Value } from '../model/values.ts'
import { readVariant } from '../plainbuffer/reader.ts'
import type { SortMsg } from '../protocol/messages.ts'
import { has } from '../protocol/proto.ts'
import type { GeoPoint } from './geo.ts'
import { parseGeoPoint } from './geo.ts'
import type { QueryNode } from './query.ts'
import type { FieldSpec } from './schema.ts'

export type SortMode = 'min' | 'max' | 'avg'

export type SortSpec =
  | { readonly kind: 'score'; readonly desc: boolean }
  | { readonly kind: 'pk'; readonly desc: boolean }
  | {
      readonly kind: 'field'
      readonly field: FieldSpec
      readonly desc: boolean
      readonly mode: SortMode
      readonly missing?: Value
      readonly missingField?: FieldSpec
      readonly nestedFilter?: { readonly path: FieldSpec; readonly filter: QueryNode }
    }
  | {
      readonly kind: 'geo'
      readonly field: FieldSpec
      readonly points: readonly GeoPoint[]
      readonly desc: boolean
      readonly mode: SortMode
      readonly plane: boolean
    }

const MODES: Record<number, SortMode> = { 0: 'min', 1: 'max', 2: 'avg' }

function modeOf(msg: { mode: number }, desc: boolean): SortMode {
  if (!has(msg, 'mode')) return desc ? 'max' : 'min'
  const mode = MODES[msg.mode]
  if (!mode) throw invalidParameter(`Unknown sort mode ${msg.mode}.`)
  return mode
}

function sortableField(byPath: ReadonlyMap<string, FieldSpec>, name: string): FieldSpec {
  const spec = byPath.get(name)
  if (!spec) throw invalidParameter(`Sort field ${name} does not exist in the search index.`)
  // Sorting needs enable_sort_and_agg (see `sortable` in schema.ts); TEXT and NESTED never have it.
  if (!spec.sortable)
    throw invalidParameter(
      spec.type === 'TEXT' || spec.type === 'NESTED'
        ? `Field ${name} of type ${spec.type} cannot be used for sorting.`
        : `Search engine: [sort] field:${name} must enable enable_sort_and_agg, but enable_sort_and_agg is not enabled`,
    )
  return spec
}

/** Decodes sorters; `decodeNestedFilter` is required only when a sorter carries a nested filter. */
export function decodeSort(
  msg: SortMsg,
  byPath: ReadonlyMap<string, FieldSpec>,
  decodeNestedFilter?: (
    path: FieldSpec,
    query: NonNullable<SortMsg['sorter'][number]['fieldSort']>['nestedFilter'],
  ) => QueryNode,
): SortSpec[] {
  return msg.sorter.map((s): SortSpec => {
    if (s.scoreSort) return { kind: 'score', desc: s.scoreSort.order === 1 }
    if (s.pkSort) return { kind: 'pk', desc: s.pkSort.order === 1 }
    if (s.docSort) throw unsupported('DocSort')
    if (s.fieldSort) {
      const f = s.fieldSort
      const desc = f.order === 1
      const spec = sortableField(byPath, f.fieldName)
      let nestedFilter: { path: FieldSpec; filter: QueryNode } | undefined
      if (f.nestedFilter) {
        const path = byPath.get(f.nestedFilter.path)
        if (path?.type !== 'NESTED')
          throw invalidParameter(`Nested filter path ${f.nestedFilter.path} is not NESTED.`)
        if (!decodeNestedFilter) throw invalidParameter('Nested filters are not allowed in an index sort.')
        nestedFilter = { path, filter: decodeNestedFilter(path, f.nestedFilter) }
      }
      const missingField =
        has(f, 'missingField') && f.missingField ? sortableField(byPath, f.missingField) : undefined
      return {
        kind: 'field',
        field: spec,
        desc,
        mode: modeOf(f, desc),
        ...(has(f, 'missingValue') && f.missingValue.length > 0
          ? { missing: readVariant(f.missingValue) }
          : {}),
        ...(missingField ? { missingField } : {}),
        ...(nestedFilter ? { nestedFilter } : {}),
      }
    }
    if (s.geoDistanceSort) {
      const g = s.geoDistanceSort
      const spec = byPath.get(g.fieldName)
      if (spec?.type !== 'GEO_POINT')
        throw invalidParameter(`GeoDistanceSort field ${g.fieldName} is not a GEO_POINT field.`)
      sortableField(byPath, g.fieldName)
      if (g.points.length === 0) throw invalidParameter('GeoDistanceSort needs at least one point.')
      if (g.nestedFilter) throw unsupported('GeoDistanceSort with a nested filter')
      const desc = g.order === 1
      return {
        kind: 'geo',
        field: spec,
        points: g.points.map((p) => parseGeoPoint(p, 'GeoDistanceSort')),
        desc,
        mode: modeOf(g, desc),
        plane: g.distanceType === 1,
      }
    }
    throw invalidParameter('A sorter must set one of field_sort, geo_distance_sort, score_sort or pk_sort.')
  })
}
