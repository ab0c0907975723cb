/**
 * @module Stored documents as columns (`stored-documents.ts`): through any sequence of documents
 * added (several shapes, values of mixed types in one field, missing values, empty and full lists,
 * a field named `__proto__`), deleted, restored from another structure, frozen for a snapshot and
 * with a field's strings packed as bytes, as ASCII or UTF-8 (before any document or after some,
 * then a string that cannot be, or none), each document reads back whole, field by field and through the view as it was written, and each
 * frozen copy as it was when frozen, whatever was written after.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { MemoryTally } from '../../adapters/memory/memory-usage.ts'
import { CHUNK, StoredDocuments } from '../../adapters/memory/stored-documents.ts'

const KEYS = ['id', 'chat', 'sentAt', 'flag', 'mentions', 'tags', '__proto__'] as const
/** The field restored from a stand-in keyword column, which holds its strings only. */
const RESTORED = 'chat'

const valueArb: fc.Arbitrary<unknown> = fc.oneof(
  // A lone surrogate has no UTF-8: a column of text keeps it as a string.
  fc.constantFrom('群聊', 'family', '上海', '', '咖啡 ☕ 😀', 'a\ud800b'),
  fc.integer(),
  fc.double({ noNaN: true }),
  fc.boolean(),
  fc.constant(undefined),
  fc.constant(null),
  fc.constant([]),
  fc.array(fc.constantFrom('u1', 'u2', '张伟'), { minLength: 1, maxLength: 3 }),
  fc.record({ name: fc.constantFrom('篮球', 'rust'), weight: fc.constantFrom(1, 2.5) }),
)

/** A document from entries: `__proto__` as an own field, as a spread copy keeps it. */
function documentOf(entries: readonly (readonly [string, unknown])[]): Record<string, unknown> {
  const doc: Record<string, unknown> = {}
  for (const [key, value] of entries)
    Object.defineProperty(doc, key, { value, enumerable: true, writable: true, configurable: true })
  return doc
}

/** What a stored document reads back as: its fields without an undefined value. */
function expected(doc: Record<string, unknown>): Record<string, unknown> {
  return documentOf(Object.entries(doc).filter(([, value]) => value !== undefined))
}

const opsArb = fc
  .array(fc.uniqueArray(fc.constantFrom(...KEYS), { minLength: 1, maxLength: KEYS.length }), {
    minLength: 1,
    maxLength: 3,
  })
  .chain((shapes) =>
    fc.tuple(
      fc.constant(shapes),
      fc.array(
        fc.oneof(
          {
            weight: 8,
            arbitrary: fc.record({
              kind: fc.constant('add' as const),
              shape: fc.nat({ max: shapes.length - 1 }),
              // Mostly the values of a typical document: numbers stay numbers, lists mostly empty.
              values: fc.array(
                fc.oneof(
                  { weight: 1, arbitrary: valueArb },
                  { weight: 3, arbitrary: fc.constant('typical') },
                ),
                {
                  minLength: KEYS.length,
                  maxLength: KEYS.length,
                },
              ),
            }),
          },
          { weight: 2, arbitrary: fc.record({ kind: fc.constant('delete' as const), pick: fc.nat() }) },
          { weight: 1, arbitrary: fc.constant({ kind: 'freeze' as const }) },
          { weight: 1, arbitrary: fc.constant({ kind: 'restore' as const }) },
          {
            weight: 1,
            arbitrary: fc.record({
              kind: fc.constant('pack' as const),
              key: fc.constantFrom('id', '__proto__', 'tags'),
              encoding: fc.constantFrom('ascii' as const, 'utf8' as const),
            }),
          },
        ),
        { maxLength: 60 },
      ),
    ),
  )

const TYPICAL: Record<string, (n: number) => unknown> = {
  id: (n) => `m${n}`,
  chat: (n) => (n % 2 === 0 ? '群聊' : 'family'),
  sentAt: (n) => 1_735_689_600_000 + n * 1000,
  flag: (n) => n % 3 === 0,
  mentions: () => [],
  tags: (n) => (n % 5 === 0 ? [{ name: '篮球', weight: 1 }] : []),
  __proto__: (n) => `p${n}`,
}

/** Every document of `docs` (the model: undefined where deleted) reads back from `stored`. */
function expectSame(stored: StoredDocuments, docs: readonly (Record<string, unknown> | undefined)[]): void {
  expect(stored.length).toBe(docs.length)
  for (let docNo = 0; docNo < docs.length; docNo++) {
    const doc = docs[docNo]
    expect(stored.has(docNo)).toBe(doc !== undefined)
    if (doc === undefined) {
      expect(stored.get(docNo)).toBeUndefined()
      continue
    }
    expect(stored.get(docNo)).toStrictEqual(expected(doc))
    // Own fields only: a document without `__proto__` would answer its prototype.
    for (const key of KEYS)
      expect(stored.field(docNo, key)).toStrictEqual(Object.hasOwn(doc, key) ? doc[key] : undefined)
    const view = stored.view(docNo)
    for (const key of Object.keys(doc)) {
      expect(stored.reader(key)(docNo)).toStrictEqual(doc[key])
      expect(view[key]).toStrictEqual(doc[key])
    }
  }
}

describe('stored documents as columns', () => {
  it('read back as written, and frozen copies as they were, through adds, deletes and restores', () => {
    fc.assert(
      fc.property(opsArb, ([shapes, ops]) => {
        const stored = new StoredDocuments()
        const docs: (Record<string, unknown> | undefined)[] = []
        // The stand-in column: each document's string of the restored field.
        const held = new Map<number, string>()
        const frozen: {
          copy: StoredDocuments
          docs: (Record<string, unknown> | undefined)[]
          restored: boolean
        }[] = []
        let restored = false
        for (const op of ops) {
          if (op.kind === 'add') {
            const docNo = docs.length
            const keys = shapes[op.shape] as string[]
            const doc = documentOf(
              keys.map((key) => {
                const value = op.values[KEYS.indexOf(key as (typeof KEYS)[number])]
                return [key, value === 'typical' ? (TYPICAL[key] as (n: number) => unknown)(docNo) : value]
              }),
            )
            expect(stored.add(doc)).toBe(docNo)
            docs.push(doc)
            const value = doc[RESTORED]
            if (typeof value === 'string') held.set(docNo, value)
          } else if (op.kind === 'delete') {
            const live = docs.flatMap((doc, docNo) => (doc ? [docNo] : []))
            const docNo = live[op.pick % Math.max(1, live.length)]
            if (docNo === undefined) continue
            stored.delete(docNo)
            docs[docNo] = undefined
          } else if (op.kind === 'freeze')
            frozen.push({ copy: stored.frozen(), docs: docs.slice(), restored })
          else if (op.kind === 'pack') stored.packStrings(op.key, op.encoding)
          else {
            stored.restore(
              RESTORED,
              (docNo) => held.get(docNo),
              (value) => typeof value === 'string',
            )
            restored = true
          }
          expectSame(stored, docs)
        }
        // A frozen copy leaves restored values out (the structure holding them is saved on its own).
        for (const { copy, docs: then, restored } of frozen)
          expectSame(
            copy,
            then.map((doc) =>
              doc && restored && typeof doc[RESTORED] === 'string' ? { ...doc, [RESTORED]: undefined } : doc,
            ),
          )
      }),
      { numRuns: 300 },
    )
  })

  it('keep their values across chunks as they grow, and a frozen copy its chunks while later writes copy them', () => {
    const stored = new StoredDocuments()
    const doc = (n: number) => ({
      id: `m${n}`,
      seq: n,
      sentAt: 1_735_689_600_000 + n,
      flag: n % 2 === 0,
      mentions: n % 1000 === 0 ? [`u${n}`] : [],
      content: `第${n}条 message`,
    })
    const count = CHUNK + 500
    for (let n = 0; n < count; n++) stored.add(doc(n))
    const frozen = stored.frozen()
    for (const n of [1, CHUNK - 1, CHUNK, CHUNK + 1]) stored.delete(n)
    // A sequence number past 32 bits: the column turns to doubles; the frozen copy keeps its integers.
    stored.add({ ...doc(count), seq: 2 ** 40, extra: '后来的' })
    for (const n of [0, 1, 1000, CHUNK - 1, CHUNK, CHUNK + 1, count - 1]) {
      expect(frozen.get(n)).toStrictEqual(doc(n))
      if ([1, CHUNK - 1, CHUNK, CHUNK + 1].includes(n)) expect(stored.get(n)).toBeUndefined()
      else expect(stored.get(n)).toStrictEqual(doc(n))
    }
    expect(frozen.length).toBe(count)
    expect(stored.get(count)).toStrictEqual({ ...doc(count), seq: 2 ** 40, extra: '后来的' })
    // The documents before the new field have none.
    expect(stored.field(0, 'extra')).toBeUndefined()
    expect(stored.get(CHUNK + 2)).toStrictEqual(doc(CHUNK + 2))
  })

  it('order a packed id and a string as strings order, without reading the id', () => {
    const idArb = fc.string({ unit: fc.constantFrom('a', 'b', 'z', '0', '-', '~', '\u007f'), maxLength: 6 })
    fc.assert(
      fc.property(
        fc.array(idArb, { minLength: 1, maxLength: 20 }),
        fc.array(fc.oneof(idArb, fc.constantFrom('é', 'a\u0080', '消息', '')), { maxLength: 10 }),
        (ids, others) => {
          const stored = new StoredDocuments()
          stored.packStrings('id', 'ascii')
          for (const id of ids) stored.add({ id })
          const order = stored.comparer('id')
          const sign = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0)
          ids.forEach((id, docNo) => {
            for (const other of [...ids, ...others]) expect(order(docNo, other)).toBe(sign(id, other))
          })
        },
      ),
    )
  })

  it('keep packed ids across chunks, in frozen copies, and as strings from the first id that is not ASCII', () => {
    const doc = (n: number) => ({ id: n % 7 === 0 ? `user-${n}@example.com` : `m${n}`, seq: n })
    const count = CHUNK + 300
    // Packed from the start, and packed after the documents (a snapshot's load).
    const fromStart = new StoredDocuments()
    fromStart.packStrings('id', 'ascii')
    const after = new StoredDocuments()
    for (let n = 0; n < count; n++) {
      fromStart.add(doc(n))
      after.add(doc(n))
    }
    after.packStrings('id', 'ascii')
    for (const stored of [fromStart, after]) {
      // The ids as bytes: far less than a string and a slot each.
      const idBytes =
        (count * 4 + [...Array(count).keys()].reduce((sum, n) => sum + doc(n).id.length, 0)) * 1.5
      const tally = new MemoryTally()
      stored.memoryUsage(tally, count, () => false)
      const documents = tally.parts().find((p) => p.part === 'documents')?.bytes ?? 0
      expect(documents).toBeLessThan(idBytes + count * 4 * 2)
      const frozen = stored.frozen()
      for (const n of [3, CHUNK - 1, CHUNK]) stored.delete(n)
      stored.add({ id: 'm-late', seq: count })
      // Not ASCII: every id becomes a string again, and the frozen copy keeps its bytes.
      stored.add({ id: '消息-1', seq: count + 1 })
      stored.add({ seq: count + 2 })
      for (const n of [0, 1, 7, CHUNK - 2, CHUNK + 1, count - 1]) {
        expect(stored.get(n)).toStrictEqual(doc(n))
        expect(frozen.get(n)).toStrictEqual(doc(n))
      }
      for (const n of [3, CHUNK - 1, CHUNK]) {
        expect(stored.get(n)).toBeUndefined()
        expect(frozen.get(n)).toStrictEqual(doc(n))
      }
      expect(stored.get(count)).toStrictEqual({ id: 'm-late', seq: count })
      expect(stored.field(count + 1, 'id')).toBe('消息-1')
      expect(stored.get(count + 2)).toStrictEqual({ seq: count + 2 })
      expect(frozen.length).toBe(count)
    }
  })
})
