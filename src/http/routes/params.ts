/**
 * @module Query-string parameters shared by the search routes: page size, cursors, times and the
 * geo notations (`near=lat,lon`, `radius=5km`, `within=lat,lon;...`, `box=n,w,s,e`).
 */
import { z } from '@hono/zod-openapi'
import type { GeoPoint } from '../../domain/geo-point.ts'
import { MAX_POLYGON_POINTS } from '../../query/dsl.ts'
import { isTimeZone } from '../../query/time-zone.ts'
import { FACET_NAMES, type FacetName } from '../../services/message-search.ts'
import { MAX_QUERY_LENGTH, MAX_QUERY_TERMS } from '../../text/query-terms.ts'
import { clauseCount, parseSearch, SearchSyntaxError } from '../../text/search-syntax.ts'

export const limitParam = (defaultLimit: number) =>
  z.coerce
    .number()
    .int()
    .min(1)
    .max(100)
    .default(defaultLimit)
    .openapi({ description: `Page size, 1 to 100 (default ${defaultLimit}).` })

/**
 * A name query (`q` of user, group and contact search): bounded at the HTTP edge, so an oversized
 * one is a 400 naming the limit before any service work (README "Limits").
 */
export const nameQueryParam = z
  .string()
  .max(MAX_QUERY_LENGTH, `at most ${MAX_QUERY_LENGTH} characters`)
  .optional()
  .openapi({ description: `A name, at most ${MAX_QUERY_LENGTH} characters.` })

/**
 * A message query: at most {@link MAX_QUERY_LENGTH} characters and {@link MAX_QUERY_TERMS} terms,
 * counted as the search counts them (after NFKC, a "quoted phrase" one term, punctuation-only
 * words none), so the edge and the service can never disagree.
 */
const messageQuery = z
  .string()
  .max(MAX_QUERY_LENGTH, `at most ${MAX_QUERY_LENGTH} characters`)
  .superRefine((q, ctx) => {
    try {
      if (clauseCount(parseSearch(q)) > MAX_QUERY_TERMS)
        ctx.addIssue({ code: 'custom', message: `at most ${MAX_QUERY_TERMS} terms` })
    } catch (error) {
      if (!(error instanceof SearchSyntaxError)) throw error
      ctx.addIssue({ code: 'custom', message: `operator ${error.operator}: ${error.message}` })
    }
  })

const MESSAGE_QUERY_HELP =
  `Terms separated by white space, a "quoted phrase" one term, each matching the content or an attachment name; ` +
  '`-term` and `-"a phrase"` exclude; operators `from:<userId>` (several are alternatives), `in:<conversationId>`, ' +
  '`has:link|file|image|video|audio|mention`, `is:mentioned`, `before:<date>` (exclusive), `after:<date>` (inclusive), ' +
  '`during:<date>`, a date being `YYYY-MM-DD` (midnight in `tz`) or epoch milliseconds. Operators alone are a query; ' +
  `an unknown \`word:value\` is text. At most ${MAX_QUERY_LENGTH} characters and ${MAX_QUERY_TERMS} terms and operators.`

export const messageQueryParam = messageQuery.optional().openapi({
  description: MESSAGE_QUERY_HELP,
  example: '预算 from:u2 has:file after:2025-03-01',
})

/** The one box's `q`: required. */
export const requiredMessageQueryParam = messageQuery
  .refine((q) => q.trim().length > 0, 'say what to look for')
  .openapi({ description: MESSAGE_QUERY_HELP, example: '预算' })

/** `tz`: the IANA zone of `YYYY-MM-DD` operands and `day` facets; UTC when absent. */
export const timeZoneParam = z
  .string()
  .max(64)
  .refine(isTimeZone, 'expected an IANA time zone, e.g. Asia/Shanghai')
  .optional()
  .openapi({
    description: 'IANA time zone of `YYYY-MM-DD` operands and `day` facets (default UTC).',
    example: 'Asia/Shanghai',
  })

/** `facets=conversation,sender,type,day`: comma-separated, each at most once. */
export const facetsParam = z
  .string()
  .max(64)
  .transform((value, ctx) => {
    const names = value.split(',').map((n) => n.trim())
    const unknown = names.filter((n) => !(FACET_NAMES as readonly string[]).includes(n))
    if (unknown.length > 0) {
      ctx.addIssue({
        code: 'custom',
        message: `unknown facet ${unknown[0]}; expected ${FACET_NAMES.join(', ')}`,
      })
      return z.NEVER
    }
    return [...new Set(names)] as FacetName[]
  })
  .optional()
  .openapi({
    type: 'string',
    description: `Comma-separated facets to count over every match: ${FACET_NAMES.join(', ')}; at most 20 values each, by count descending, then value.`,
    example: 'conversation,sender,type,day',
  })

export const cursorParam = z
  .string()
  .max(4096)
  .optional()
  .openapi({ description: 'The `nextCursor` of the previous page of the same search.' })

/** ISO 8601 as clients send it: a date, optionally a time, optionally a zone. */
const ISO =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/

/**
 * `Date.parse` rolls 2025-02-30 over to March; a date that does not exist is an error. A time
 * without a zone is UTC, not the server's local time.
 */
function parseIso(value: string): number {
  const m = ISO.exec(value)
  if (!m) return Number.NaN
  const [, y, mo, d, h, mi = '0', s = '0', zone] = m
  const day = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d)))
  const exists =
    day.getUTCFullYear() === Number(y) &&
    day.getUTCMonth() === Number(mo) - 1 &&
    day.getUTCDate() === Number(d)
  const valid = exists && Number(h ?? 0) < 24 && Number(mi) < 60 && Number(s) < 60
  return valid
    ? Date.parse(h !== undefined && zone === undefined ? `${value.replace(' ', 'T')}Z` : value)
    : Number.NaN
}

/** Epoch milliseconds, or an ISO 8601 date-time. */
export const timeParam = z
  .string()
  .max(40)
  .transform((value, ctx) => {
    const ms = /^\d{1,16}$/.test(value) ? Number(value) : parseIso(value)
    if (!Number.isFinite(ms) || ms < 0 || ms > 8.64e15) {
      ctx.addIssue({ code: 'custom', message: 'expected epoch milliseconds or an ISO 8601 date-time' })
      return z.NEVER
    }
    return ms
  })
  .optional()
  .openapi({ type: 'string', description: 'Epoch milliseconds or ISO 8601, e.g. `2025-03-01T00:00:00Z`.' })

const NUMBER = '[-+]?\\d+(?:\\.\\d+)?'
const POINT = new RegExp(`^\\s*(${NUMBER})\\s*,\\s*(${NUMBER})\\s*$`)

function point(text: string): GeoPoint | undefined {
  const m = POINT.exec(text)
  if (!m) return undefined
  const lat = Number(m[1])
  const lon = Number(m[2])
  return lat >= -90 && lat <= 90 && lon >= -180 && lon <= 180 ? { lat, lon } : undefined
}

export const pointParam = z
  .string()
  .max(64)
  .transform((value, ctx) => {
    const p = point(value)
    if (!p) {
      ctx.addIssue({ code: 'custom', message: 'expected lat,lon with -90 ≤ lat ≤ 90 and -180 ≤ lon ≤ 180' })
      return z.NEVER
    }
    return p
  })
  .optional()
  .openapi({ type: 'string', example: '30.2741,120.1551' })

/** The largest radius: half the Earth's circumference covers it all. */
export const MAX_RADIUS_METRES = 20_037_508

export const radiusParam = z
  .string()
  .max(32)
  .transform((value, ctx) => {
    const m = /^\s*(\d+(?:\.\d+)?)\s*(m|km)?\s*$/i.exec(value)
    const metres = m ? Number(m[1]) * (m[2]?.toLowerCase() === 'km' ? 1000 : 1) : Number.NaN
    if (!(metres > 0 && metres <= MAX_RADIUS_METRES)) {
      ctx.addIssue({
        code: 'custom',
        message: 'expected a distance such as 800, 500m or 5km, at most 20,037 km',
      })
      return z.NEVER
    }
    return metres
  })
  .optional()
  .openapi({
    type: 'string',
    example: '5km',
    description: 'Metres, or with a unit: `500m`, `5km` (default 5km).',
  })

export const polygonParam = z
  .string()
  .max(4096)
  .transform((value, ctx) => {
    const points = value.split(';').map(point)
    if (points.length < 3 || points.length > MAX_POLYGON_POINTS || points.some((p) => !p)) {
      ctx.addIssue({
        code: 'custom',
        message: `expected 3 to ${MAX_POLYGON_POINTS} points lat,lon separated by ;`,
      })
      return z.NEVER
    }
    return points as GeoPoint[]
  })
  .optional()
  .openapi({ type: 'string', example: '30.30,120.10;30.30,120.20;30.20,120.20;30.20,120.10' })

export const boxParam = z
  .string()
  .max(128)
  .transform((value, ctx) => {
    const parts = value.split(',').map((p) => Number(p.trim()))
    const [north, west, south, east] = parts
    const valid =
      parts.length === 4 &&
      parts.every(Number.isFinite) &&
      north !== undefined &&
      west !== undefined &&
      south !== undefined &&
      east !== undefined &&
      Math.abs(north) <= 90 &&
      Math.abs(south) <= 90 &&
      north >= south &&
      Math.abs(west) <= 180 &&
      Math.abs(east) <= 180
    if (!valid) {
      ctx.addIssue({ code: 'custom', message: 'expected north,west,south,east with north ≥ south' })
      return z.NEVER
    }
    return { north: north as number, west: west as number, south: south as number, east: east as number }
  })
  .optional()
  .openapi({ type: 'string', example: '31.40,121.20,31.00,121.80' })

/** A repeatable parameter arrives as a string or an array of strings. */
export const repeatedParam = z
  .union([z.string().max(64), z.array(z.string().max(64)).max(32)])
  .optional()
  .transform((v) => (v === undefined ? undefined : Array.isArray(v) ? v : [v]))
  .openapi({ type: 'array', items: { type: 'string' } })
