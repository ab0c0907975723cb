/**
 * @module The embedded engine's facets and groups counted by number (`doc-columns.ts`, `tally.ts`,
 * `ZoneDays`) against plain `Map` counting by string over the live documents: with writes and
 * removals between searches (columns made earlier must follow them), keyword arrays and
 * non-strings, instants beyond 32-bit quarter hours, quarter hours a date change cuts (zones with
 * odd historical offsets), documents whose `sentAt` is older than earlier ones', and an index
 * restored from its snapshot.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { SavedColumn } from '../../adapters/memory/doc-columns.ts'
import { DocIndex } from '../../adapters/memory/doc-index.ts'
import { borrowZeroed, giveBack } from '../../adapters/memory/scratch-ints.ts'
import { Tally } from '../../adapters/memory/tally.ts'
import { compareFacetValues, type FacetRequest } from '../../src/ports/facets.ts'
import { dayOf, ZoneDays } from '../../src/query/time-zone.ts'
import { replay } from './doc-index-replay.ts'

interface Doc {
  id: string
  chat?: unknown
  sentAt?: unknown
}

const schema = {
  id: { type: 'keyword' },
  chat: { type: 'keyword', array: true },
  sentAt: { type: 'long' },
} as const

const chatArb = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom('群聊', 'family', '工作', 'x') },
  { weight: 2, arbitrary: fc.array(fc.constantFrom('群聊', 'family', 'y', 'y'), { maxLength: 3 }) },
  { weight: 1, arbitrary: fc.constantFrom(undefined, 7, null) },
)
const MIN = 60_000
const instantArb = fc.oneof(
  // Around the 2025 daylight saving changes, on odd minutes and milliseconds.
  { weight: 6, arbitrary: fc.integer({ min: Date.UTC(2025, 2, 1), max: Date.UTC(2025, 3, 15) }) },
  // 1900-1901: zones then kept local mean time, offsets that cut quarter hours.
  { weight: 2, arbitrary: fc.integer({ min: Date.UTC(1900, 0, 1), max: Date.UTC(1901, 0, 1) }) },
  // The two hours around 1900-06-01's local midnight in Kolkata and Kathmandu (+5:21:10, +5:41:16).
  {
    weight: 3,
    arbitrary: fc.integer({ min: Date.UTC(1900, 4, 31, 17), max: Date.UTC(1900, 4, 31, 19) }),
  },
  // Beyond 32-bit quarter hours (±1.93e15 ms) but within a Date.
  { weight: 1, arbitrary: fc.constantFrom(5e15, -5e15 + 7 * MIN, 8.64e15) },
)
const sentAtArb = fc.oneof(
  { weight: 9, arbitrary: instantArb },
  { weight: 1, arbitrary: fc.constantFrom(undefined, null) },
)
const ZONES = [
  'UTC',
  'Asia/Shanghai',
  'America/New_York',
  'Asia/Kathmandu',
  'Asia/Kolkata',
  'Australia/Lord_Howe',
]
const opArb = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant('put' as const),
      id: fc.integer({ min: 0, max: 30 }),
      chat: chatArb,
      sentAt: sentAtArb,
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('remove' as const), id: fc.integer({ min: 0, max: 30 }) }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('search' as const),
      zone: fc.constantFrom(...ZONES),
      size: fc.constantFrom(1, 2, 100),
      chat: fc.option(fc.constantFrom('群聊', 'family', 'y'), { nil: undefined }),
    }),
  },
)

/** Counts by string over `docs`, as a terms or day aggregation defines them. */
function plainFacet(docs: readonly Doc[], request: FacetRequest) {
  const counts = new Map<string, number>()
  for (const doc of docs) {
    const value = doc[request.field as keyof Doc]
    const values =
      request.kind === 'day'
        ? typeof value === 'number'
          ? [dayOf(value, request.timeZone)]
          : []
        : [...new Set(Array.isArray(value) ? value : [value])].filter((v) => typeof v === 'string')
    for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1)
  }
  return [...counts]
    .map(([value, count]) => ({ value, count }))
    .sort(compareFacetValues)
    .slice(0, request.size)
}

/** Groups by a string `chat`: count and newest document (missing `sentAt` last, then id). */
function plainGroups(docs: readonly Doc[]) {
  const newer = (a: Doc, b: Doc) => {
    const [x, y] = [
      typeof a.sentAt === 'number' ? a.sentAt : null,
      typeof b.sentAt === 'number' ? b.sentAt : null,
    ]
    if (x !== y) return y === null || (x !== null && x > y)
    return a.id < b.id
  }
  const groups = new Map<string, { count: number; top: Doc }>()
  for (const doc of docs) {
    if (typeof doc.chat !== 'string') continue
    const group = groups.get(doc.chat)
    if (!group) groups.set(doc.chat, { count: 1, top: doc })
    else {
      group.count++
      if (newer(doc, group.top)) group.top = doc
    }
  }
  return groups
}

const NEWEST = [{ field: { name: 'sentAt', order: 'desc' as const } }]

/** Columns made with the index (`DocIndexOptions.columns`), as the messages index has them. */
const PREPARED = { keyword: ['chat'], quarterHours: ['sentAt'] }

/** A faceted and a grouped search of `index` give what plain counting over `live` gives. */
function expectPlainCounts(
  index: DocIndex<Doc>,
  live: ReadonlyMap<string, Doc>,
  op: { zone: string; size: number; chat?: string | undefined },
) {
  const facets: Record<string, FacetRequest> = {
    chat: { kind: 'terms', field: 'chat', size: op.size },
    day: { kind: 'day', field: 'sentAt', timeZone: op.zone, size: op.size },
  }
  const query = op.chat ? { term: { field: 'chat', value: op.chat } } : { match_all: {} }
  const matches = [...live.values()].filter(
    (d) => !op.chat || d.chat === op.chat || (Array.isArray(d.chat) && d.chat.includes(op.chat)),
  )
  const page = index.search({ query, limit: 1, facets })
  expect(page.total).toBe(matches.length)
  expect(page.facets).toEqual({
    chat: plainFacet(matches, facets.chat as FacetRequest),
    day: plainFacet(matches, facets.day as FacetRequest),
  })
  const grouped = index.searchGrouped({ query, field: 'chat', sort: NEWEST, limit: 100 })
  const want = plainGroups(matches)
  expect(grouped.total).toBe(want.size)
  for (const g of grouped.groups) {
    expect(g.count, g.value).toBe(want.get(g.value)?.count)
    expect(g.top.id, g.value).toBe(want.get(g.value)?.top.id)
  }
}

describe('facets and groups counted by number', () => {
  it('a tally counts as a map does, and its arrays are lent again zeroed', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 40 }),
        fc.array(fc.integer({ min: 0, max: 200 })),
        (size, numbers) => {
          const tally = new Tally(size)
          const map = new Map<number, number>()
          for (const n of numbers) {
            tally.add(n)
            map.set(n, (map.get(n) ?? 0) + 1)
          }
          const counted: [number, number][] = []
          tally.each((n, count) => counted.push([n, count]))
          // In the order first counted, each with its count.
          expect(counted).toEqual([...map.entries()])
          // Its arrays, given back, are lent zeroed (scratch-ints.ts): every array lent after is.
          tally.release()
          const lent = Array.from({ length: 20 }, () => borrowZeroed(size))
          for (const array of lent) expect(array.every((v) => v === 0)).toBe(true)
          for (const array of lent) giveBack(array, [])
        },
      ),
    )
  })

  it("a zone's date numbers name each instant's date, where a date change cuts a quarter hour too", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...ZONES),
        fc.array(instantArb, { minLength: 1, maxLength: 40 }),
        (zone, instants) => {
          const days = new ZoneDays(zone)
          for (const ms of instants) expect(days.days[days.of(ms)], String(ms)).toBe(dayOf(ms, zone))
        },
      ),
      { numRuns: 300 },
    )
  })

  it('equal plain counting through writes, removals and a snapshot', () => {
    fc.assert(
      // Columns made on first use, or with the index (then the snapshot holds them).
      fc.property(fc.array(opArb, { maxLength: 60 }), fc.boolean(), (ops, prepared) => {
        const options = { schema, idField: 'id', ...(prepared ? { columns: PREPARED } : {}) }
        // Halfway, the index restored from its snapshot, with the columns made so far.
        replay<Doc, (typeof ops)[number]>(options, ops, {
          put: (op) => {
            const doc: Doc = { id: `m${op.id}` }
            if (op.chat !== undefined) doc.chat = op.chat
            if (op.sentAt !== undefined) doc.sentAt = op.sentAt
            return doc
          },
          removed: (op) => `m${op.id}`,
          search: expectPlainCounts,
        })
      }),
      { numRuns: 400 },
    )
  })

  it('columns widen and rebase as their numbers outgrow their bytes, and count as before', () => {
    // Chats numbered past one, two and three bytes' worth (70,000 values); instants that move
    // back and forth by growing steps, out to spans of quarter hours that need four bytes.
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: -50, max: 50 }), { minLength: 40, maxLength: 40 }),
        fc.constantFrom(...ZONES),
        (steps, zone) => {
          const index = new DocIndex<Doc>({ schema, idField: 'id' })
          const live = new Map<string, Doc>()
          const put = (doc: Doc) => {
            index.upsert(doc)
            live.set(doc.id, doc)
          }
          put({ id: 'first', chat: '群聊', sentAt: Date.UTC(2025, 0, 1) })
          // Columns made while they are one byte wide: every widening below is by writes.
          expectPlainCounts(index, live, { zone, size: 3 })
          let sentAt = Date.UTC(2025, 0, 1)
          for (const [i, step] of steps.entries()) {
            // Steps of up to 50 × 1.7^i minutes, clamped within ±1e15 ms (±1.1e9 quarter hours).
            sentAt = Math.max(-1e15, Math.min(1e15, sentAt + Math.round(step * 60_000 * 1.7 ** i)))
            put({ id: `m${i}`, chat: i % 7 === 0 ? ['群聊', `会话${i}`] : 'family', sentAt })
          }
          expectPlainCounts(index, live, { zone, size: 3 })
          for (let n = 0; n < 70_000; n++) put({ id: `c${n}`, chat: `会话${n}`, sentAt: sentAt - n * 60_000 })
          expectPlainCounts(index, live, { zone, size: 5 })
          expectPlainCounts(index, live, { zone, size: 2, chat: '会话69999' })
        },
      ),
      { numRuns: 3 },
    )
  })

  it('groups count every match through more searches than the 16-bit visit marks hold', () => {
    const index = new DocIndex<Doc>({ schema, idField: 'id' })
    const docs: Doc[] = ['群聊', 'family', '群聊'].map((chat, i) => ({ id: `m${i}`, chat, sentAt: i }))
    for (const doc of docs) index.upsert(doc)
    const live = new Map(docs.map((doc) => [doc.id, doc]))
    // Each search marks the documents it visits; past 65,535 searches the marks start again.
    for (let n = 0; n < 70_000; n++) {
      const { groups } = index.searchGrouped({
        query: { match_all: {} },
        field: 'chat',
        sort: NEWEST,
        limit: 2,
      })
      if (groups[0]?.count !== 2 || groups[1]?.count !== 1)
        expect.fail(`search ${n}: ${JSON.stringify(groups)}`)
    }
    expectPlainCounts(index, live, { zone: 'UTC', size: 2 })
  })
  it('a snapshot holds the columns made so far; a load refuses saved columns that do not fit', () => {
    const index = new DocIndex<Doc>({ schema, idField: 'id', columns: PREPARED })
    for (const [i, chat] of ['群聊', 'family', '群聊', '工作'].entries())
      index.upsert({ id: `m${i}`, chat, sentAt: Date.UTC(2025, 2, 1, i) })
    const saved = index.toSnapshot().columns
    expect(saved.rows).toBe(4)
    expect(saved.columns.map((c) => [c.kind, c.field])).toEqual([
      ['keyword', 'chat'],
      ['quarter', 'sentAt'],
    ])
    const restore = (columns: typeof saved) =>
      DocIndex.fromSnapshot<Doc>({ schema, idField: 'id' }, { ...index.toSnapshot(), columns })
    expect(restore(structuredClone(saved)).toSnapshot().columns).toEqual(saved)
    expect(() => restore({ ...saved, table: saved.table.subarray(1) })).toThrow(/do not fit/)
    expect(() => restore({ ...saved, rows: 3 })).toThrow(/do not fit/)
    // A chat number past its values (three): a torn save.
    const torn = { ...structuredClone(saved), table: saved.table.slice() }
    torn.table[0] = 9
    expect(() => restore(torn)).toThrow(/does not hold/)
    const [chat, quarter] = structuredClone(saved.columns) as [SavedColumn, SavedColumn]
    expect(() => restore({ ...saved, columns: [quarter, chat] })).toThrow(/out of place/)
    expect(() => restore({ ...saved, columns: [chat] })).toThrow(/do not fill/)
    const repeated = { ...chat, values: ['群聊', '群聊', 'family'] } as SavedColumn
    expect(() => restore({ ...saved, columns: [repeated, quarter] })).toThrow(/repeats a value/)
  })
})
