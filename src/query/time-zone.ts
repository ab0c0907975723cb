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
export const QUARTER_HOUR_MS = 15 * 60_000
/** Quarter hours remembered per zone (about six years); past it the zone's memory starts over. */
const MAX_QUARTERS = 200_000
/** Quarter hours per page of a zone's memory: about ten days, a typed array each. */
const PAGE_BITS = 10
const PAGE_SIZE = 1 << PAGE_BITS
/** In a page: the quarter hour's date number plus one; 0 not asked yet; this when a date change falls inside it. */
const SPLIT = -1
/** Zones remembered at once; the least recently asked is forgotten first. */
const MAX_ZONES = 16

/**
 * A zone's calendar dates, numbered in the order first asked, and the date number of each
 * quarter hour: what a day facet counts by, for thousands of instants a request. The date is
 * formatted once per quarter hour of a zone, for every request (formatting each instant costs
 * microseconds: a facet over thousands of messages would spend milliseconds), and kept in pages
 * of typed arrays, so an instant's date number is two array loads, with no string in between.
 */
export class ZoneDays {
  readonly timeZone: string
  /** Date number → `YYYY-MM-DD`. */
  readonly days: string[] = []
  readonly #numbers = new Map<string, number>()
  readonly #pages = new Map<number, Int32Array>()
  #pageNo = Number.NaN
  #page: Int32Array | undefined

  constructor(timeZone: string) {
    this.timeZone = timeZone
  }

  /** Whether the zone has remembered so much that it should start over. */
  get full(): boolean {
    return this.#pages.size * PAGE_SIZE > MAX_QUARTERS || this.days.length > MAX_QUARTERS
  }

  /** The date number of the instant `ms`. */
  of(ms: number): number {
    const quarter = Math.floor(ms / QUARTER_HOUR_MS)
    // Beyond 32-bit quarter hours (and NaN): formatted as it is, which throws where a Date cannot hold it.
    const n = quarter === (quarter | 0) ? this.ofQuarter(quarter) : SPLIT
    return n >= 0 ? n : this.#number(dayOf(ms, this.timeZone))
  }

  /**
   * The date number of every instant in quarter hour `quarter` (a 32-bit integer, `ms / QUARTER_HOUR_MS`
   * rounded down), or -1 when a date change falls inside it: then ask {@link of} for the instant.
   */
  ofQuarter(quarter: number): number {
    const pageNo = quarter >> PAGE_BITS
    let page = this.#page
    if (pageNo !== this.#pageNo || !page) {
      page = this.#pages.get(pageNo)
      if (!page) {
        page = new Int32Array(PAGE_SIZE)
        this.#pages.set(pageNo, page)
      }
      this.#pageNo = pageNo
      this.#page = page
    }
    const slot = quarter & (PAGE_SIZE - 1)
    let known = page[slot] as number
    if (known === 0) {
      // 32-bit quarter hours (±61,000 years) lie well within a Date's ±8.64e15 ms.
      const [start, end] = [quarter * QUARTER_HOUR_MS, (quarter + 1) * QUARTER_HOUR_MS - 1]
      const first = dayOf(start, this.timeZone)
      known = first === dayOf(end, this.timeZone) ? this.#number(first) + 1 : SPLIT
      page[slot] = known
    }
    return known === SPLIT ? SPLIT : known - 1
  }

  #number(day: string): number {
    let n = this.#numbers.get(day)
    if (n === undefined) {
      n = this.days.length
      this.days.push(day)
      this.#numbers.set(day, n)
    }
    return n
  }
}

/** Per zone, its dates so far. Shared by requests. */
const zones = new Map<string, ZoneDays>()

/** The zone's {@link ZoneDays}, shared by the requests that ask for it. */
export function zoneDays(timeZone: string): ZoneDays {
  let zone = zones.get(timeZone)
  zones.delete(timeZone)
  if (!zone || zone.full) zone = new ZoneDays(timeZone)
  // Re-inserted last: the first key is the zone asked least recently.
  zones.set(timeZone, zone)
  if (zones.size > MAX_ZONES) zones.delete(zones.keys().next().value as string)
  return zone
}

/** `dayOf` for many instants (see {@link ZoneDays}). */
export function dayKeyer(timeZone: string): (ms: number) => string {
  const zone = zoneDays(timeZone)
  return (ms) => zone.days[zone.of(ms)] as string
}
