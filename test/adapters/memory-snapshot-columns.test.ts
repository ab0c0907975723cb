/**
 * @module The index snapshot's document columns: any documents (several shapes, deleted slots,
 * values of mixed types in one field, undefined values, nested objects, shared keyword values,
 * Chinese and English strings) come back equal, in order, through the bytes they are saved as.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { ArrayLayout, restoreArrays } from '../../adapters/memory/snapshot/array-refs.ts'
import {
  type ColumnChunk,
  DOCUMENTS_PER_CHUNK,
  type DocumentSink,
  decodeChunk,
  encodeChunk,
} from '../../adapters/memory/snapshot/document-columns.ts'
import { snapshotPackr, unpackSnapshotPart } from '../../adapters/memory/snapshot/msgpack.ts'
import { SharedValues } from '../../adapters/memory/snapshot/shared-values.ts'
import { StoredDocuments } from '../../adapters/memory/stored-documents.ts'

const SHARED = ['c-team', 'u1', 'u2', '上海', 'text'] as const
const KEYS = ['id', 'conversationId', 'content', 'sentAt', 'flag', 'tags', 'location', '__proto__'] as const

/** Scalars and small structures; no -0 (msgpack writes it as 0, and documents never hold it). */
const valueArb: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(...SHARED),
  fc.string({ unit: fc.constantFrom('a', 'Z', '上', '海', '🙂', ' ', 'é') }),
  fc.integer(),
  fc.double({ noNaN: false }).filter((x) => !Object.is(x, -0)),
  fc.boolean(),
  fc.constant(undefined),
  fc.constant(null),
  fc.array(fc.constantFrom(...SHARED), { maxLength: 3 }),
  fc.array(fc.record({ name: fc.constantFrom('篮球', 'rust'), weight: fc.constantFrom(1, 2.5, 0.1) }), {
    maxLength: 3,
  }),
  fc.record({
    lat: fc.double({ min: -90, max: 90, noNaN: true }).map((x) => x + 0),
    lon: fc.integer({ min: -180, max: 180 }),
  }),
)

/** Documents drawn from a few shapes, so that shapes repeat and columns hold many rows. */
const documentsArb = fc
  .array(fc.uniqueArray(fc.constantFrom(...KEYS), { minLength: 1, maxLength: 5 }), {
    minLength: 1,
    maxLength: 4,
  })
  .chain((shapes) =>
    fc.array(
      fc.oneof(
        { weight: 1, arbitrary: fc.constant(undefined) },
        {
          weight: 6,
          arbitrary: fc
            .nat({ max: shapes.length - 1 })
            .chain((s) =>
              fc.tuple(...(shapes[s] as string[]).map((key) => fc.tuple(fc.constant(key), valueArb))),
            ),
        },
      ),
      { maxLength: 30 },
    ),
  )
  .map((rows) =>
    rows.map((fields) => {
      if (!fields) return undefined
      const doc: Record<string, unknown> = {}
      for (const [key, value] of fields)
        Object.defineProperty(doc, key, { value, enumerable: true, writable: true })
      return doc
    }),
  )

/**
 * Encoded, through the bytes a snapshot writes (typed arrays laid out, structure in msgpack),
 * decoded into `out` (an array, or the stored documents a load fills).
 */
function roundTrip<Sink extends DocumentSink = (object | undefined)[]>(
  documents: readonly (object | undefined)[],
  restored: ReadonlySet<string>,
  out: Sink = [] as unknown as Sink,
): Sink {
  const shared = new Map(SHARED.map((value, i) => [value, i]))
  const layout = new ArrayLayout()
  const packr = snapshotPackr()
  const chunks: unknown[] = []
  for (let from = 0; from < documents.length; from += DOCUMENTS_PER_CHUNK)
    chunks.push(layout.extract(encodeChunk(rowsOf(documents), from, restored, shared, packr)))
  const bytes = new Uint8Array(layout.bytes)
  let at = 0
  for (const array of layout.take()) {
    bytes.set(new Uint8Array(array.buffer, array.byteOffset, array.byteLength), at)
    at += Math.ceil(array.byteLength / 8) * 8
  }
  const saved = unpackSnapshotPart(Uint8Array.from(packr.pack(chunks))) as unknown[]
  // One map of each for the whole load, as the reader does.
  const makers = new Map()
  const lists = new Map()
  const values = new SharedValues()
  for (const chunk of saved)
    decodeChunk(restoreArrays(chunk, bytes.buffer) as ColumnChunk, SHARED, out, makers, lists, values)
  return out
}

describe('snapshot document columns', () => {
  it('make equal lists of shared strings once, across chunks, and keep unequal ones apart', () => {
    const lists = [['u1', '上海'], ['u2'], ['上海', 'u1'], ['u1', '上海', 'text']]
    const documents = Array.from({ length: 2 * DOCUMENTS_PER_CHUNK + 5 }, (_, i) => ({
      id: `d${i}`,
      words: [...(lists[i % lists.length] as string[])],
    }))
    const decoded = roundTrip(documents, new Set()) as { words: string[] }[]
    decoded.forEach((doc, i) => {
      expect(doc.words).toEqual(documents[i]?.words)
      expect(doc.words).toBe(decoded[i % lists.length]?.words)
    })
    expect(new Set(decoded.map((doc) => doc.words)).size).toBe(lists.length)
  })

  it('decode to the documents they encode', () => {
    fc.assert(
      fc.property(documentsArb, (documents) => {
        const decoded = roundTrip(documents, new Set())
        expect(decoded).toHaveLength(documents.length)
        decoded.forEach((doc, i) => {
          const original = documents[i]
          if (original === undefined) {
            expect(doc).toBeUndefined()
            return
          }
          // Same keys in the same order, own properties (a `__proto__` key included), same values.
          expect(Object.keys(doc as object)).toEqual(Object.keys(original))
          expect(Object.getPrototypeOf(doc)).toBe(Object.prototype)
          for (const key of Object.keys(original))
            expect((doc as Record<string, unknown>)[key]).toEqual((original as Record<string, unknown>)[key])
        })
      }),
      { numRuns: 300 },
    )
  })

  it('fill stored documents that keep strings as bytes with the bytes, undecoded, and read back the same', () => {
    fc.assert(
      fc.property(documentsArb, (documents) => {
        const stored = new StoredDocuments()
        // As a load of messages: the id as ASCII (a string that is not falls back to strings), text as UTF-8.
        stored.packStrings('id', 'ascii')
        stored.packStrings('content', 'utf8')
        stored.packStrings('__proto__', 'utf8')
        roundTrip(documents, new Set(), stored)
        expect(stored.length).toBe(documents.length)
        documents.forEach((original, docNo) => {
          expect(stored.has(docNo)).toBe(original !== undefined)
          for (const [key, value] of Object.entries(original ?? {}))
            expect(stored.field(docNo, key)).toEqual(value)
        })
      }),
      { numRuns: 300 },
    )
    // Long enough to be handed over as one column of each: ids ASCII, then one that is not.
    const messages = Array.from({ length: DOCUMENTS_PER_CHUNK + 40 }, (_, i) => ({
      id: i === DOCUMENTS_PER_CHUNK + 20 ? `消息${i}` : `m${i}`,
      content: i % 2 === 0 ? `第${i}条 咖啡 ☕ 😀` : `message ${i} about coffee`,
    }))
    const stored = roundTrip(messages, new Set(), new StoredDocuments())
    stored.packStrings('id', 'ascii')
    stored.packStrings('content', 'utf8')
    messages.forEach((message, docNo) => {
      expect(stored.get(docNo)).toStrictEqual(message)
    })
  })

  it('make equal tags and places once, across chunks', () => {
    const places = [
      { lat: 31.2, lon: 121.5 },
      { lat: 30.3, lon: 120.2 },
    ]
    const tags = [
      [{ name: '篮球', weight: 1 }],
      [
        { name: 'rust', weight: 2.5 },
        { name: '篮球', weight: 1 },
      ],
      [],
    ]
    const documents = Array.from({ length: DOCUMENTS_PER_CHUNK + 7 }, (_, i) => ({
      id: `u${i}`,
      tags: structuredClone(tags[i % tags.length]),
      location: structuredClone(places[i % places.length]),
    }))
    const decoded = roundTrip(documents, new Set()) as {
      tags: { name: string; weight: number }[]
      location: object
    }[]
    decoded.forEach((doc, i) => {
      expect(doc.location).toEqual(documents[i]?.location)
      expect(doc.location).toBe(decoded[i % places.length]?.location)
      expect(doc.tags).toEqual(documents[i]?.tags)
      doc.tags.forEach((tag, k) => {
        expect(tag).toBe(decoded[i % tags.length]?.tags[k])
      })
    })
    expect(decoded[1]?.tags[1]).toBe(decoded[0]?.tags[0])
  })

  it('number the strings of a column the table holds, beside the ones it does not', () => {
    // User ids: those who received a message are in the table (recipient ids), the others not.
    const documents = Array.from({ length: DOCUMENTS_PER_CHUNK + 9 }, (_, i) => ({
      userId: i % 3 === 0 ? (SHARED[i % SHARED.length] as string) : `用户${i}`,
    }))
    const shared = new Map(SHARED.map((value, i) => [value, i]))
    const [column] = encodeChunk(rowsOf(documents), 0, new Set(), shared, snapshotPackr()).columns[0] ?? []
    expect(column?.kind).toBe('someShared')
    expect(roundTrip(documents, new Set())).toEqual(documents)
  })

  it('leave restored fields out and share shared values and empty lists', () => {
    const documents = Array.from({ length: DOCUMENTS_PER_CHUNK + 3 }, (_, i) => ({
      id: `m${i}`,
      conversationId: SHARED[i % 2],
      recipients: ['u1', 'u2'],
      mentions: i % 100 === 0 ? ['u1'] : [],
    }))
    const decoded = roundTrip(documents, new Set(['recipients'])) as Record<string, unknown>[]
    expect(decoded.map((d) => d.id)).toEqual(documents.map((d) => d.id))
    expect(decoded[5]?.recipients).toEqual([])
    expect(decoded[100]?.mentions).toEqual(['u1'])
    expect(decoded[1]?.mentions).toBe(decoded[DOCUMENTS_PER_CHUNK + 1]?.mentions)
    expect(decoded[1]?.conversationId).toBe('u1')
  })
})

/** `documents` as a snapshot's writer reads them. */
function rowsOf(documents: readonly (object | undefined)[]) {
  return { length: documents.length, get: (docNo: number) => documents[docNo] }
}
