/**
 * @module A composed field (`DocIndexOptions.composed`: the contacts' key, made of the owner and
 * the contact) is not stored but made again when read. Against a map of the documents written
 * (the oracle): every contact comes back with its key, found by it, sorted by it and removed by it,
 * before and after a snapshot load; a key that is not the one the ids make (written by hand, by
 * another version) is kept as it was.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { MemoryBackend } from '../../adapters/memory/backend.ts'
import { type ContactDocument, contactKey } from '../../src/ports/documents.ts'
import type { SearchRequest } from '../../src/ports/search-backend.ts'
import { contactDocument } from '../../src/services/documents.ts'
import { T0 } from '../contract/fixtures.ts'
import { snapshotRunDirs } from './snapshot-run-dirs.ts'

const PEOPLE = ['u1', 'u2', '张伟', 'Anna', '李娜'] as const
const NAMES = ['张伟', 'Anna Lee', '王芳', 'Bob'] as const

/** A write: a contact (its key made of its ids, or an odd one) or the removal of one. */
const writeArb = fc.oneof(
  fc.record({
    kind: fc.constant('put' as const),
    owner: fc.constantFrom(...PEOPLE),
    contact: fc.constantFrom(...PEOPLE),
    name: fc.constantFrom(...NAMES),
    // Odd keys, one of them another pair's key made of its ids.
    oddKey: fc.option(fc.constantFrom('legacy-1', 'u1|u2', '张伟/李娜 ', contactKey('u1', 'u2')), {
      nil: undefined,
    }),
  }),
  fc.record({ kind: fc.constant('remove' as const), at: fc.nat() }),
)
type Write = typeof writeArb extends fc.Arbitrary<infer W> ? W : never

const SEARCHES: SearchRequest[] = [
  { query: { match_all: {} }, limit: 100, sort: [{ field: { name: 'contactKey', order: 'asc' } }] },
  {
    query: { term: { field: 'userId', value: 'u1' } },
    limit: 100,
    sort: [{ field: { name: 'addedAt', order: 'asc' } }],
  },
  { query: { prefix: { field: 'contactKey', value: 'u1/' } }, limit: 100 },
  {
    query: { exists: { field: 'contactKey' } },
    limit: 100,
    sort: [{ field: { name: 'contactKey', order: 'desc' } }],
  },
]

/** Applies `writes` to the backend and to the oracle (key → document). */
async function apply(backend: MemoryBackend, oracle: Map<string, ContactDocument>, writes: readonly Write[]) {
  for (const write of writes) {
    if (write.kind === 'remove') {
      const keys = [...oracle.keys()]
      const key = keys[write.at % Math.max(1, keys.length)]
      if (key === undefined) continue
      oracle.delete(key)
      await backend.remove('contacts', [key])
      continue
    }
    const made = contactDocument(
      { userId: write.owner, contactId: write.contact, nickname: undefined, addedAt: T0 + oracle.size },
      write.name,
    )
    const doc = write.oddKey === undefined ? made : { ...made, contactKey: write.oddKey }
    oracle.set(doc.contactKey, doc)
    await backend.index('contacts', [doc])
  }
}

/** Every document the backend holds, by key. */
async function held(backend: MemoryBackend): Promise<Map<string, ContactDocument>> {
  const page = await backend.search('contacts', { query: { match_all: {} }, limit: 1_000 })
  return new Map(page.hits.map((hit) => [hit.document.contactKey, hit.document]))
}

/** The keys of `SEARCHES`' sorted and prefix answers, as the oracle gives them. */
async function expectKeysAsOracle(backend: MemoryBackend, oracle: Map<string, ContactDocument>) {
  const keysOf = async (request: SearchRequest) =>
    (await backend.search('contacts', request)).hits.map((hit) => hit.document.contactKey)
  const sorted = [...oracle.keys()].sort()
  expect(await keysOf(SEARCHES[0] as SearchRequest)).toEqual(sorted)
  expect(new Set(await keysOf(SEARCHES[2] as SearchRequest))).toEqual(
    new Set(sorted.filter((key) => key.startsWith('u1/'))),
  )
  expect(await keysOf(SEARCHES[3] as SearchRequest)).toEqual(sorted.reverse())
}

describe('composed fields (the contacts’ key)', () => {
  const runDir = snapshotRunDirs('im-search-composed-')

  it('come back, match, sort and remove as stored ones, before and after a snapshot load', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(writeArb, { minLength: 1, maxLength: 25 }),
        fc.array(writeArb, { maxLength: 10 }),
        async (before, after) => {
          const dir = runDir()
          const oracle = new Map<string, ContactDocument>()
          const original = new MemoryBackend({ snapshotDir: dir })
          await apply(original, oracle, before)
          expect(await held(original)).toEqual(oracle)
          await expectKeysAsOracle(original, oracle)
          await original.snapshots?.save({ storeId: 'store-1', covered: before.length })
          const loaded = new MemoryBackend({ snapshotDir: dir })
          expect(await loaded.snapshots?.load()).toMatchObject({ loaded: true })
          for (const request of SEARCHES)
            expect(await loaded.search('contacts', request)).toEqual(
              await original.search('contacts', request),
            )
          // Writes after the load: the two indexes take them alike.
          const copy = new Map(oracle)
          await apply(original, oracle, after)
          await apply(loaded, copy, after)
          expect(await held(loaded)).toEqual(oracle)
          await expectKeysAsOracle(loaded, oracle)
          for (const request of SEARCHES)
            expect(await loaded.search('contacts', request)).toEqual(
              await original.search('contacts', request),
            )
        },
      ),
      { numRuns: 40 },
    )
  }, 60_000)
})
