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

/** The calendar date in `timeZone` at the instant `ms`. */
export function dateOf(ms: number, timeZone: string): CalendarDate {
  const date = { year: 0, month: 0, day: 0 }
  for (const part of formatter(timeZone).formatToParts(ms)) {
    if (part.type === 'year') date.year = Number(part.value)
    else if (part.type === 'month') date.month = Number(part.value)
    else if (part.type === 'day') date.day = Number(part.value)
  }
  return date
}

/** The date (`YYYY-MM-DD`) in `timeZone` at the instant `ms`. */
export function dayOf(ms: number, timeZone: string): string {
  return formatDate(dateOf(ms, timeZone))
}

/** A date as one increasing number (years of any length compare right, unlike their text). */
const ordinal = (d: CalendarDate) => d.year * 10_000 + d.month * 100 + d.day

/**
 * The calendar date of `YYYY-MM-DD`, or undefined when it is not one (2025-02-30, 2025-13-01,
 * 0000-01-01: the calendar has no year 0, and `Intl` writes 1 BC as year 1).
 */
export function parseDate(text: string): CalendarDate | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text)
  if (!m) return undefined
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])]
  if (year < 1) return undefined
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
  const wanted = ordinal(date)
  const d = new Date(0)
  d.setUTCFullYear(date.year, date.month - 1, date.day)
  let lo = (d.getTime() - SEARCH_SPAN_MS) / 1000
  let hi = (d.getTime() + SEARCH_SPAN_MS) / 1000
  while (lo < hi) {
    const mid = Math.floor((lo + hi) / 2)
    if (ordinal(dateOf(mid * 1000, timeZone)) >= wanted) hi = mid
    else lo = mid + 1
  }
  return lo * 1000
}

/** Every zone's offset is a whole number of seconds; most days hold no change at all. */
const BUCKET_MS = 15 * 60_000
/** Quarter hours remembered per zone (about six years); past it the zone's memory starts over. */
const MAX_BUCKETS = 200_000
/** The last instant a JavaScript Date holds. */
const MAX_DATE_MS = 8.64e15
/** Zones remembered at once; the least recently asked is forgotten first. */
const MAX_ZONES = 16

/** Per zone, quarter hour → its date, or null when a date change falls inside it. Shared by requests. */
const buckets = new Map<string, Map<number, string | null>>()

/**
 * `dayOf` for many instants, as a facet counts them: the date is computed once per quarter hour
 * of a zone, for every request, and reused when the quarter hour lies within one date (formatting
 * each instant costs microseconds: a facet over thousands of messages would spend milliseconds).
 */
export function dayKeyer(timeZone: string): (ms: number) => string {
  let cache = buckets.get(timeZone)
  buckets.delete(timeZone)
  if (!cache || cache.size > MAX_BUCKETS) cache = new Map()
  // Re-inserted last: the first key is the zone asked least recently.
  buckets.set(timeZone, cache)
  if (buckets.size > MAX_ZONES) buckets.delete(buckets.keys().next().value as string)
  const known = cache
  return (ms) => {
    const bucket = Math.floor(ms / BUCKET_MS)
    let day = known.get(bucket)
    if (day === undefined) {
      const [start, end] = [bucket * BUCKET_MS, (bucket + 1) * BUCKET_MS - 1]
      // The last quarter hour a Date holds (8.64e15 ms) ends beyond it: that one is not cached.
      if (end > MAX_DATE_MS) return dayOf(ms, timeZone)
      const first = dayOf(start, timeZone)
      day = first === dayOf(end, timeZone) ? first : null
      known.set(bucket, day)
    }
    return day ?? dayOf(ms, timeZone)
  }
}
