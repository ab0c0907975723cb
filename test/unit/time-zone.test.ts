/** @module Calendar days in IANA zones (issue 13): midnights, daylight saving, and the facet's day keys. */
import { describe, expect, it } from 'vitest'
import { dayKeyer, dayOf, isTimeZone, parseDate, startOfDay } from '../../src/query/time-zone.ts'

const date = (text: string) => parseDate(text) ?? expect.fail(`${text} is a date`)

describe('time zones', () => {
  it('knows IANA zones and UTC, and nothing else', () => {
    expect(['UTC', 'Asia/Shanghai', 'America/New_York'].map(isTimeZone)).toEqual([true, true, true])
    expect(['Mars/Olympus', '', 'x'.repeat(65)].map(isTimeZone)).toEqual([false, false, false])
  })

  it('a day starts at its midnight in the zone', () => {
    expect(startOfDay(date('2025-03-01'), 'UTC')).toBe(Date.UTC(2025, 2, 1))
    expect(startOfDay(date('2025-03-01'), 'Asia/Shanghai')).toBe(Date.UTC(2025, 1, 28, 16))
    expect(startOfDay(date('2025-03-01'), 'Asia/Kolkata')).toBe(Date.UTC(2025, 1, 28, 18, 30))
  })

  it('follows daylight saving: New York is UTC-5 in winter and UTC-4 in summer', () => {
    expect(startOfDay(date('2025-01-15'), 'America/New_York')).toBe(Date.UTC(2025, 0, 15, 5))
    expect(startOfDay(date('2025-07-15'), 'America/New_York')).toBe(Date.UTC(2025, 6, 15, 4))
    // Santiago skipped midnight on 2024-09-08 (00:00 → 01:00): the day starts at 01:00 local.
    expect(dayOf(startOfDay(date('2024-09-08'), 'America/Santiago'), 'America/Santiago')).toBe('2024-09-08')
    expect(dayOf(startOfDay(date('2024-09-08'), 'America/Santiago') - 1, 'America/Santiago')).toBe(
      '2024-09-07',
    )
  })

  it('refuses dates that do not exist', () => {
    expect([parseDate('2025-02-29'), parseDate('2025-13-01'), parseDate('2025-1-1')]).toEqual([
      undefined,
      undefined,
      undefined,
    ])
    expect(parseDate('2024-02-29')).toEqual({ year: 2024, month: 2, day: 29 })
    expect(parseDate('0000-01-01')).toBeUndefined()
  })

  it('the last day of year 9999 is a whole day even where it ends after year 10000 has begun in UTC', () => {
    const start = startOfDay(date('9999-12-31'), 'Pacific/Kiritimati')
    expect(start).toBe(Date.UTC(9999, 11, 30, 10))
    expect(dayOf(start, 'Pacific/Kiritimati')).toBe('9999-12-31')
  })

  it('the facet keyer agrees with dayOf at every quarter hour edge and across a zone change', () => {
    for (const zone of ['UTC', 'Asia/Kolkata', 'Asia/Kathmandu', 'America/New_York', 'Australia/Lord_Howe']) {
      const day = dayKeyer(zone)
      for (let ms = Date.UTC(2025, 2, 8); ms < Date.UTC(2025, 3, 8); ms += 7 * 60_000 + 13_000)
        expect(day(ms), `${zone} ${new Date(ms).toISOString()}`).toBe(dayOf(ms, zone))
    }
  })
})
