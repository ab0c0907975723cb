/**
 * @module The tag search scored from weights kept beside their documents (`nested-weights.ts`)
 * against the same search scored from the documents' tag objects: identical hits, scores (to the
 * bit), order, totals and pages, through writes, removals and compactions after the weights were
 * made, and an index restored from its snapshot; with documents whose tags do not fit one weight
 * a name (a name twice, weights that are not numbers, a name inside an array, tags not an array)
 * and weights whose sum depends on the order they are added in.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { DocIndex, type DocIndexOptions } from '../../adapters/memory/doc-index.ts'
import type { Query } from '../../src/query/dsl.ts'
import { replay } from './doc-index-replay.ts'

interface Doc {
  id: string
  tags?: unknown
  discoverable?: boolean
}

const options: DocIndexOptions = {
  schema: {
    id: { type: 'keyword' },
    tags: { type: 'nested', fields: { name: { type: 'keyword' }, weight: { type: 'double' } } },
    discoverable: { type: 'boolean' },
  },
  idField: 'id',
  // Compactions happen within a case: the weights made before one must follow it.
  compactAfterDead: 3,
}

const NAMES = ['咖啡', 'golf', '摄影', 'hiking'] as const
/** 0.1 + 0.2 + 0.7 and 0.7 + 0.2 + 0.1 differ in the last bit; 1e16 swallows small weights. */
const WEIGHTS = [0.1, 0.2, 0.7, 1, 3, 1e16, -0.5] as const

const tagArb = fc.oneof(
  {
    weight: 12,
    arbitrary: fc.record({ name: fc.constantFrom(...NAMES), weight: fc.constantFrom(...WEIGHTS) }),
  },
  // Weights that are not numbers: `missing` stands in.
  {
    weight: 1,
    arbitrary: fc.record({ name: fc.constantFrom(...NAMES), weight: fc.constantFrom('2', null) }),
  },
  { weight: 1, arbitrary: fc.record({ name: fc.constantFrom(...NAMES) }) },
  // A name in an array (the documents' path matches it), a name that is not a string.
  { weight: 1, arbitrary: fc.record({ name: fc.constant(['golf', '咖啡']), weight: fc.constant(2) }) },
  { weight: 1, arbitrary: fc.record({ name: fc.constant(7), weight: fc.constant(2) }) },
)
const tagsArb = fc.oneof(
  // Mostly distinct names, as the service indexes them; sometimes a name twice.
  { weight: 8, arbitrary: fc.uniqueArray(tagArb, { maxLength: 4, selector: (t) => JSON.stringify(t.name) }) },
  { weight: 2, arbitrary: fc.array(tagArb, { maxLength: 4 }) },
  { weight: 1, arbitrary: fc.constantFrom(undefined, { name: 'golf', weight: 1 }, 'golf') },
)

const searchArb = fc.record({
  kind: fc.constant('search' as const),
  names: fc.uniqueArray(fc.constantFrom(...NAMES, 'absent'), { minLength: 1, maxLength: 4 }),
  repeat: fc.boolean(),
  mode: fc.constantFrom('sum', 'max', 'avg', 'none', undefined),
  factor: fc.constantFrom(undefined, 1, 2, 0.5, -1, 0),
  missing: fc.constantFrom(undefined, 0, 3),
  all: fc.boolean(),
  discoverableOnly: fc.boolean(),
  limit: fc.constantFrom(1, 3, 100),
})

const opArb = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant('put' as const),
      id: fc.integer({ min: 0, max: 20 }),
      tags: tagsArb,
      discoverable: fc.boolean(),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('remove' as const), id: fc.integer({ min: 0, max: 20 }) }),
  },
  { weight: 2, arbitrary: searchArb },
)

type Search = typeof searchArb extends fc.Arbitrary<infer S> ? S : never

/**
 * The search's query twice: as the discovery service writes it, and with the tag leaf inside a
 * `bool`, which means the same but is scored from the documents' tag objects.
 */
function queries(search: Search): [weighted: Query, read: Query] {
  const values = search.repeat ? [...search.names, ...search.names] : search.names
  const leaf: Query =
    values.length === 1 && !search.repeat
      ? { term: { field: 'tags.name', value: values[0] as string } }
      : { terms: { field: 'tags.name', values } }
  const factor = {
    field: 'tags.weight',
    ...(search.factor === undefined ? {} : { factor: search.factor }),
    ...(search.missing === undefined ? {} : { missing: search.missing }),
  }
  const tagged = (query: Query): Query => ({
    nested: {
      path: 'tags',
      ...(search.mode ? { score_mode: search.mode } : {}),
      query: { function_score: { query, field_value_factor: factor } },
    },
  })
  const around = (must: Query): Query => ({
    bool: {
      must: [must],
      filter: [
        ...(search.discoverableOnly ? [{ term: { field: 'discoverable', value: true } }] : []),
        ...(search.all
          ? search.names.map(
              (name): Query => ({
                nested: {
                  path: 'tags',
                  score_mode: 'none',
                  query: { term: { field: 'tags.name', value: name } },
                },
              }),
            )
          : []),
      ],
    },
  })
  return [around(tagged(leaf)), around(tagged({ bool: { must: [leaf] } }))]
}

/** Every page of `query`: ids with scores, and each page's total. */
function allPages(index: DocIndex<Doc>, query: Query, limit: number) {
  const pages: { hits: [string, number][]; total: number }[] = []
  let after: string | undefined
  do {
    const page = index.search({ query, limit, ...(after ? { after } : {}) })
    pages.push({ hits: page.hits.map((h) => [h.id, h.score]), total: page.total })
    after = page.next
  } while (after && pages.length < 50)
  return pages
}

describe('tag search scored from weights beside the documents', () => {
  it('answers as the search scored from the tag objects, through writes, compactions and a snapshot', () => {
    let searches = 0
    let weighted = 0
    fc.assert(
      fc.property(fc.array(opArb, { minLength: 10, maxLength: 60 }), (ops) => {
        // Halfway, the index restored from its snapshot: the weights are made again from the documents.
        replay<Doc, (typeof ops)[number]>(options, ops, {
          put: (op) => {
            const doc: Doc = { id: `u${op.id}`, discoverable: op.discoverable }
            if (op.tags !== undefined) doc.tags = op.tags
            return doc
          },
          removed: (op) => `u${op.id}`,
          search: (index, _live, op) => {
            const [fast, read] = queries(op)
            const pages = allPages(index, fast, op.limit)
            expect(pages).toEqual(allPages(index, read, op.limit))
            searches++
            if (pages[0]?.hits.length) weighted++
          },
        })
      }),
      { numRuns: 400 },
    )
    // Not vacuous: many searches found tagged documents (about 40%; the first ones of a case find none).
    expect(weighted / searches).toBeGreaterThan(0.3)
  })

  it("reads no document's tags to score a tag search, and reads them where a weight says to", () => {
    const reads = { count: 0 }
    const counted = (tags: object[]) =>
      new Proxy(tags, {
        get(target, key, receiver) {
          reads.count++
          return Reflect.get(target, key, receiver)
        },
      })
    const index = new DocIndex<Doc>(options)
    for (let i = 0; i < 50; i++)
      index.upsert({
        id: `u${i}`,
        tags: counted([
          { name: '咖啡', weight: 1 + (i % 5) },
          { name: 'golf', weight: 2 },
        ]),
      })
    const [fast] = queries({
      kind: 'search',
      names: ['咖啡', 'golf'],
      repeat: false,
      mode: 'sum',
      factor: undefined,
      missing: undefined,
      all: false,
      discoverableOnly: false,
      limit: 3,
    })
    index.search({ query: fast, limit: 5 })
    reads.count = 0
    const page = index.search({ query: fast, limit: 5 })
    expect(page.total).toBe(50)
    expect(page.hits.map((h) => h.score)).toEqual([7, 7, 7, 7, 7])
    expect(reads.count).toBe(0)
    // A weight that is not a number: that document is read (and scored with `missing`, 1).
    index.upsert({ id: 'u50', tags: counted([{ name: '咖啡', weight: 'heavy' }]) })
    reads.count = 0
    expect(index.search({ query: fast, limit: 100 }).hits.find((h) => h.id === 'u50')?.score).toBe(1)
    expect(reads.count).toBeGreaterThan(0)
  })
})
