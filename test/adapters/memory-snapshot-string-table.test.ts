/**
 * @module The snapshot's string table (`snapshot/string-table.ts`): any indexes' string lists
 * (shared values, keyword and fuzzy values, recipient ids; Chinese and English, repeated within
 * and across indexes) come back equal through the numbers and the table, every distinct string
 * saved or given by a fuzzy list exactly once; a table that does not add up is refused.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { DocIndexSnapshot } from '../../adapters/memory/doc-index.ts'
import { snapshotPackr, unpackSnapshotPart } from '../../adapters/memory/snapshot/msgpack.ts'
import {
  type NumberedLists,
  readTable,
  restoreLists,
  StringNumbering,
} from '../../adapters/memory/snapshot/string-table.ts'

type IndexState = Omit<DocIndexSnapshot, 'documents'>

const POOL = [
  'u1',
  'u2',
  '张伟',
  'zhangwei',
  'Anna Lee',
  'anna',
  '李娜',
  'lina',
  'c-team',
  '上海',
  '',
] as const

/** Distinct strings of the pool, as an index's lists are. */
const listArb = fc.uniqueArray(fc.constantFrom(...POOL), { maxLength: POOL.length })
const fieldsArb = fc.dictionary(fc.constantFrom('name', 'nameCompact', 'userId', 'tags.name'), listArb, {
  maxKeys: 3,
})

/** The parts of an index's state the table numbers; the rest is of no concern to it. */
const stateArb = fc
  .record({
    keyword: fieldsArb,
    fuzzy: fieldsArb,
    recipientSets: fieldsArb,
    columns: fieldsArb,
  })
  .map(
    ({ keyword, fuzzy, recipientSets, columns }) =>
      ({
        keyword: Object.fromEntries(Object.entries(keyword).map(([f, v]) => [f, { values: v, postings: f }])),
        fuzzy: Object.fromEntries(Object.entries(fuzzy).map(([f, v]) => [f, { values: v, postings: f }])),
        recipientSets: Object.fromEntries(
          Object.entries(recipientSets).map(([f, ids]) => [f, { ids, setOf: f }]),
        ),
        // Keyword columns' values by number (distinct: a column numbers each value once), and a
        // quarter-hour column, which holds no string.
        columns: {
          rows: 0,
          stride: 0,
          table: 'rows',
          columns: [
            ...Object.entries(columns).map(([field, v]) => ({
              kind: 'keyword',
              field,
              place: { offset: 0, width: 1, base: 0 },
              values: [...new Set(v)],
            })),
            { kind: 'quarter', field: 'sentAt', place: { offset: 0, width: 2, base: 7 } },
          ],
        },
        dead: 0,
      }) as unknown as IndexState,
  )

/** Numbered and saved as the writer does, then read back as the reader does. */
function roundTrip(states: IndexState[]) {
  const strings = new StringNumbering()
  const taken = states.map((state) => strings.take(state))
  const packr = snapshotPackr()
  const saved = unpackSnapshotPart(packr.pack(strings.table())) as ReturnType<StringNumbering['table']>
  const table = readTable(
    saved,
    taken.flatMap(({ rest, lists }) =>
      Object.entries(rest.fuzzy).map(([field, index]) => ({
        values: index.values,
        numbers: lists.fuzzy[field] as Int32Array,
      })),
    ),
  )
  const restored = taken.map(({ rest, lists }) => {
    const copy = structuredClone(rest)
    restoreLists(copy, lists, table)
    return copy
  })
  return { saved, table, taken, restored }
}

describe('snapshot string table', () => {
  it('gives every index its lists back, each distinct string held once by the table', () => {
    fc.assert(
      fc.property(fc.array(stateArb, { minLength: 1, maxLength: 4 }), (states) => {
        const { saved, table, taken, restored } = roundTrip(states)
        expect(restored).toEqual(states)
        const distinct = new Set(
          states.flatMap((s) => [
            ...Object.values(s.keyword).flatMap((k) => k.values),
            ...Object.values(s.fuzzy).flatMap((k) => k.values),
            ...Object.values(s.recipientSets).flatMap((r) => r.ids),
            ...s.columns.columns.flatMap((c) => (c.kind === 'keyword' ? c.values : [])),
          ]),
        )
        expect(new Set(table)).toEqual(distinct)
        expect(table).toHaveLength(distinct.size)
        // Saved once, or given once by the first fuzzy list holding it.
        const given = taken.flatMap(({ lists }) => Object.values(lists.fuzzy).flatMap((n) => [...n]))
        expect(saved.strings.length + given.filter((n) => n < 0).length).toBe(distinct.size)
        // The lists saved are empty but the fuzzy ones: their strings are in the table.
        for (const { rest } of taken) {
          for (const index of Object.values(rest.keyword)) expect(index.values).toEqual([])
          for (const index of Object.values(rest.recipientSets)) expect(index.ids).toEqual([])
          for (const column of rest.columns.columns)
            if (column.kind === 'keyword') expect(column.values).toEqual([])
        }
      }),
      { numRuns: 300 },
    )
  })

  it('refuses a table that does not add up, or a fuzzy list giving a string twice', () => {
    const user = {
      keyword: { userId: { values: ['u1'], postings: 'p' }, name: { values: ['张伟'], postings: 'p' } },
      fuzzy: { nameCompact: { values: ['zhangwei', '张伟'], postings: 'p' } },
      recipientSets: {},
      columns: { rows: 0, stride: 0, table: new Uint8Array(0), columns: [] },
    } as unknown as IndexState
    const strings = new StringNumbering()
    const { rest, lists } = strings.take(user)
    const fuzzy = [
      { values: rest.fuzzy.nameCompact?.values ?? [], numbers: lists.fuzzy.nameCompact as Int32Array },
    ]
    const saved = strings.table()
    expect(saved).toEqual({ size: 3, strings: ['u1', '张伟'] })
    expect(readTable(saved, fuzzy)).toEqual(['u1', '张伟', 'zhangwei'])
    expect(() => readTable({ ...saved, size: 4 }, fuzzy)).toThrow(/does not add up/)
    expect(() => readTable({ ...saved, strings: ['u1'] }, fuzzy)).toThrow(/does not add up/)
    expect(() => readTable(saved, [...fuzzy, ...fuzzy])).toThrow(/out of place/)
    expect(() => readTable({ ...saved, strings: ['u1', 7] }, fuzzy)).toThrow(/non-string/)
    const outOfRange: NumberedLists = { ...lists, keyword: { ...lists.keyword, userId: Int32Array.of(0, 3) } }
    expect(() => restoreLists(structuredClone(rest), outOfRange, ['u1', '张伟', 'zhangwei'])).toThrow(
      /out of range/,
    )
  })
})
