/**
 * @module DSL sorts → Tablestore `sort.sorters`. Every sort ends on the primary key, ascending:
 * a total order, so that `next_token` (which resumes after the last row's sort values) neither
 * skips nor repeats a row across pages.
 */
import type { Sort } from '../../src/query/sort.ts'
import { searchColumn } from './index-fields.ts'
import { SortOrder } from './sdk-constants.ts'

export type TsSorter =
  | { scoreSort: { order: number } }
  | { fieldSort: { fieldName: string; order: number } }
  | { geoDistanceSort: { fieldName: string; points: string[]; order: number } }
  | { primaryKeySort: { order: number } }

const order = (o: 'asc' | 'desc') => (o === 'desc' ? SortOrder.SORT_ORDER_DESC : SortOrder.SORT_ORDER_ASC)

/** The sorters for a DSL sort; no sort means score descending, as the port says. */
export function compileSort(sort: readonly Sort[] | undefined): { sorters: TsSorter[] } {
  const keys: readonly Sort[] = sort && sort.length > 0 ? sort : [{ score: { order: 'desc' } }]
  const sorters = keys.map((key): TsSorter => {
    if ('score' in key) return { scoreSort: { order: order(key.score.order) } }
    if ('field' in key)
      return { fieldSort: { fieldName: searchColumn(key.field.name), order: order(key.field.order) } }
    const { field, center } = key.geo_distance
    return {
      geoDistanceSort: {
        fieldName: field,
        points: [`${center.lat},${center.lon}`],
        order: order(key.geo_distance.order),
      },
    }
  })
  sorters.push({ primaryKeySort: { order: SortOrder.SORT_ORDER_ASC } })
  return { sorters }
}
