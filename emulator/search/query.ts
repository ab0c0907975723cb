/**
 * @module The decoded search query tree the evaluator works on.
 */
import type { Value } from '../model/values.ts'
import type { GeoPoint } from './geo.ts'
import type { FieldSpec } from './schema.ts'

export type ScoreMode = 'none' | 'avg' | 'max' | 'total' | 'min'

export type QueryNode =
  | { readonly type: 'match_all' }
  | {
      readonly type: 'match'
      readonly field: FieldSpec
      readonly text: string
      readonly and: boolean
      readonly minimumShouldMatch: number
      readonly weight: number
    }
  | {
      readonly type: 'match_phrase'
      readonly field: FieldSpec
      readonly text: string
      readonly weight: number
    }
  | { readonly type: 'term'; readonly field: FieldSpec; readonly value: Value; readonly weight: number }
  | {
      readonly type: 'terms'
      readonly field: FieldSpec
      readonly values: readonly Value[]
      readonly weight: number
    }
  | { readonly type: 'prefix'; readonly field: FieldSpec; readonly prefix: string; readonly weight: number }
  | {
      readonly type: 'wildcard'
      readonly field: FieldSpec
      readonly pattern: RegExp
      readonly weight: number
    }
  | {
      readonly type: 'range'
      readonly field: FieldSpec
      readonly from?: Value
      readonly to?: Value
      readonly includeLower: boolean
      readonly includeUpper: boolean
    }
  | { readonly type: 'exists'; readonly field: FieldSpec }
  | {
      readonly type: 'bool'
      readonly must: readonly QueryNode[]
      readonly mustNot: readonly QueryNode[]
      readonly filter: readonly QueryNode[]
      readonly should: readonly QueryNode[]
      readonly minimumShouldMatch: number | undefined
    }
  | { readonly type: 'const_score'; readonly filter: QueryNode }
  | { readonly type: 'function_score'; readonly query: QueryNode; readonly field: FieldSpec }
  | {
      readonly type: 'nested'
      readonly path: FieldSpec
      readonly query: QueryNode
      readonly scoreMode: ScoreMode
      readonly weight: number
    }
  | {
      readonly type: 'geo_distance'
      readonly field: FieldSpec
      readonly center: GeoPoint
      readonly distance: number
    }
  | {
      readonly type: 'geo_bounding_box'
      readonly field: FieldSpec
      readonly topLeft: GeoPoint
      readonly bottomRight: GeoPoint
    }
  | { readonly type: 'geo_polygon'; readonly field: FieldSpec; readonly points: readonly GeoPoint[] }
