/** @module Sort orders of a search, and the page-after position they imply. */
import { z } from 'zod'
import { GeoPointSchema } from '../domain/geo-point.ts'

const Order = z.enum(['asc', 'desc'])

/**
 * A sort key. A document without a value for a key (no location for a distance sort) sorts last
 * in either order. Ties beyond the given keys are broken by a backend-defined total order that is
 * stable across pages (the embedded backend: document id ascending).
 * @example `[{ field: { name: 'sentAt', order: 'desc' } }, { field: { name: 'sequenceId', order: 'desc' } }]`
 * @example `[{ score: { order: 'desc' } }]`
 * @example `[{ geo_distance: { field: 'location', center: { lat: 31.23, lon: 121.47 }, order: 'asc' } }]`
 */
export const SortSchema = z.union([
  z.strictObject({ score: z.strictObject({ order: Order.default('desc') }) }),
  z.strictObject({ field: z.strictObject({ name: z.string().min(1).max(64), order: Order.default('asc') }) }),
  z.strictObject({
    geo_distance: z.strictObject({
      field: z.string().min(1).max(64),
      center: GeoPointSchema,
      order: Order.default('asc'),
    }),
  }),
])
export type Sort = z.infer<typeof SortSchema>
export type SortOrder = z.infer<typeof Order>
