/** @module A WGS 84 point. */
import { z } from 'zod'

/** Strict: a misspelt `lng` is an error, not a silently dropped key. */
export const GeoPointSchema = z.strictObject({
  lat: z.number().min(-90).max(90),
  lon: z.number().min(-180).max(180),
})
export type GeoPoint = z.infer<typeof GeoPointSchema>
