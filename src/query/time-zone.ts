/**
 * @module Calendar days in an IANA time zone, for the date operators (`after:2025-03-01` is that
 * day's midnight in the `tz` parameter's zone) and the `day` facet. Built on `Intl`, whose zone
 * data Node ships, so offsets, daylight saving and historical changes are the tz database's.
 */

/** A calendar date. */
export interface CalendarDate {
  year: number
  month: number
  day: number
}

const formatters = new Map<string, Intl.DateTimeFormat>()

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone)
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      calendar: 'iso8601',
      numberingSystem: 'latn',
    })
    formatters.set(timeZone, f)
  }
  return f
}

/** Whether `Intl` knows the zone (`UTC`, `Asia/Shanghai`, `America/New_York`, ...). */
export function isTimeZone(timeZone: string): boolean {
  if (timeZone.length === 0 || timeZone.length > 64) return false
  try {
    formatter(timeZone)
    return true
  } catch {
    return false
  }
}

const pad = (n: number, width: number) => String(n).padStart(width, '0')

/** `YYYY-MM-DD` of a date. */
export function formatDate(date: CalendarDate): string {
  return `${pad(date.year, 4)}-${pad(date.month, 2)}-${pad(date.day, 2)}`
}

/** The date (`YYYY-MM-DD`) in `timeZone` at the instant `ms`. */
export function dayOf(ms: number, timeZone: string): string {
  let year = 0
  let month = 0
  let day = 0
  for (const part of formatter(timeZone).formatToParts(ms)) {
    if (part.type === 'year') year = Number(part.value)
    else if (part.type === 'month') month = Number(part.value)
    else if (part.type === 'day') day = Number(part.value)
  }
  return formatDate({ year, month, day })
}

/** The calendar date of `YYYY-MM-DD`, or undefined when it is not one (2025-02-30, 2025-13-01). */
export function parseDate(text: string): CalendarDate | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text)
  if (!m) return undefined
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])]
  const d = new Date(0)
  d.setUTCFullYear(year, month - 1, day)
  const exists = d.getUTCFullYear() === year && d.getUTCMonth() === month - 1 && d.getUTCDate() === day
  return exists ? { year, month, day } : undefined
}

/** The day after `date`. */
export function nextDate(date: CalendarDate): CalendarDate {
  const d = new Date(0)
  d.setUTCFullYear(date.year, date.month - 1, date.day + 1)
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() }
}

/** Offsets are within ±26 h of UTC (the tz database's extremes are +14 and −12). */
const SEARCH_SPAN_MS = 26 * 3_600_000

/**
 * The first instant (to the second) of `date` in `timeZone`: its midnight, or where a daylight
 * saving change skips midnight, the first instant the day exists. Found by bisection over the
 * instants whose local date is at least `date`, which asks the zone data, not a guessed offset.
 */
export function startOfDay(date: CalendarDate, timeZone: string): number {
  const wanted = formatDate(date)
  const d = new Date(0)
  d.setUTCFullYear(date.year, date.month - 1, date.day)
  let lo = (d.getTime() - SEARCH_SPAN_MS) / 1000
  let hi = (d.getTime() + SEARCH_SPAN_MS) / 1000
  while (lo < hi) {
    const mid = Math.floor((lo + hi) / 2)
    if (dayOf(mid * 1000, timeZone) >= wanted) hi = mid
    else lo = mid + 1
  }
  return lo * 1000
}

/** Every zone's offset is a whole number of seconds; most days hold no change at all. */
const BUCKET_MS = 15 * 60_000

/**
 * `dayOf` for many instants, as a facet counts them: the date is computed once per quarter hour
 * and reused when the quarter hour lies within one date (formatting each instant would cost a
 * microsecond or more per message).
 */
export function dayKeyer(timeZone: string): (ms: number) => string {
  const cache = new Map<number, string | null>()
  return (ms) => {
    const bucket = Math.floor(ms / BUCKET_MS)
    let day = cache.get(bucket)
    if (day === undefined) {
      const first = dayOf(bucket * BUCKET_MS, timeZone)
      day = first === dayOf((bucket + 1) * BUCKET_MS - 1, timeZone) ? first : null
      cache.set(bucket, day)
    }
    return day ?? dayOf(ms, timeZone)
  }
}
