/**
 * @module Property tests: random corpora and random queries, every answer compared with the
 * brute-force oracle (`test/oracle/evaluate.ts`). Seeded, so a failure names a reproducible case;
 * set FC_SEED to explore other seeds.
 */
import fc from 'fast-check'
import { describe, expect } from 'vitest'
import type { DocumentOf } from '../../src/ports/documents.ts'
import type { SearchBackend } from '../../src/ports/search-backend.ts'
import type { Query } from '../../src/query/dsl.ts'
import type { IndexName } from '../../src/query/index-schemas.ts'
import type { Sort } from '../../src/query/sort.ts'
import { oracleSearch } from '../oracle/evaluate.ts'
import {
  filterQueries,
  geoQueryArb,
  groupCorpusArb,
  groupNameTextArb,
  type MessageCorpus,
  messageCorpusArb,
  messageFiltersArb,
  messageTreeArb,
  nameTextArb,
  PEOPLE,
  PIECES,
  pointArb,
  TAG_POOL,
  termPickArb,
  termText,
  treeOf,
  userCorpusArb,
} from './arbitraries.ts'
import {
  type ContractContext,
  canSee,
  messageQuery,
  NEWEST,
  OLDEST,
  RELEVANCE,
  readAllPages,
  sortedIds,
} from './context.ts'
import {
  exactName,
  namePinyin,
  namePrefix,
  nameSubstring,
  nameTypo,
  tagsAll,
  tagsAny,
} from './profiles.cases.ts'

const SEED = Number(process.env.FC_SEED ?? 20_250_101)

async function loadCorpus(
  ctx: ContractContext,
  backend: SearchBackend,
  corpus: MessageCorpus,
): Promise<void> {
  await ctx.load(backend, 'messages', corpus.initial)
  if (corpus.replaced.length) await ctx.load(backend, 'messages', corpus.replaced)
  if (corpus.removed.length) await ctx.drop(backend, 'messages', corpus.removed)
}

/** Page through the backend and hold every answer up against the oracle's. */
async function compareWithOracle<I extends IndexName>(
  backend: SearchBackend,
  index: I,
  docs: readonly DocumentOf<I>[],
  request: { query: Query; sort?: Sort[] | undefined; limit: number },
  opts: { exactScores?: boolean; searcher?: string } = {},
): Promise<{ hits: number; pages: number }> {
  const oracle = oracleSearch(index, docs, request.query, request.sort)
  const result = await readAllPages(backend, index, request)
  expect(result.total, 'total').toBe(oracle.total)
  expect(sortedIds(result.hits), 'hit ids').toEqual([...oracle.ids].sort())
  expect(oracle.firstOutOfOrder(result.hits), 'first hit out of order').toBe(-1)
  for (const hit of result.hits) {
    const expected = oracle.byId.get(hit.id)
    expect(hit.document, `document ${hit.id}`).toEqual(expected?.document)
    if (opts.searcher !== undefined)
      expect((hit.document as { recipients: string[] }).recipients, `recipients of ${hit.id}`).toContain(
        opts.searcher,
      )
    if (opts.exactScores && expected?.score.exact)
      expect(hit.score, `score of ${hit.id}`).toBeCloseTo(expected.score.score, 9)
  }
  if (request.sort === undefined || 'score' in (request.sort[0] ?? {})) {
    for (let i = 0; i + 1 < result.hits.length; i++)
      expect(result.hits[i]!.score, `score at ${i}`).toBeGreaterThanOrEqual(result.hits[i + 1]!.score - 1e-9)
  }
  return { hits: result.hits.length, pages: result.pages }
}

/**
 * Counts the cases that found something and that paged, so that a generator which drifts into
 * matching nothing fails loudly instead of passing vacuously.
 */
class Coverage {
  runs = 0
  withHits = 0
  paged = 0
  add(r: { hits: number; pages: number }): void {
    this.runs++
    if (r.hits > 0) this.withHits++
    if (r.pages > 1) this.paged++
  }
  check(minHitShare: number): void {
    if (process.env.CONTRACT_COVERAGE) console.log(this)
    expect(
      this.withHits / this.runs,
      `share of cases with hits (${this.withHits}/${this.runs})`,
    ).toBeGreaterThan(minHitShare)
    expect(
      this.paged / this.runs,
      `share of cases over several pages (${this.paged}/${this.runs})`,
    ).toBeGreaterThan(0.05)
  }
}

/** Small pages, so that most cases page. */
const limitArb = fc.oneof(
  { weight: 3, arbitrary: fc.integer({ min: 1, max: 2 }) },
  fc.integer({ min: 1, max: 12 }),
)

/** A random person (or someone who sees nothing), or, when undefined, a recipient of the anchor document. */
const searcherArb = fc.oneof(
  { weight: 6, arbitrary: fc.constant(undefined) },
  { weight: 2, arbitrary: fc.constantFrom(...PEOPLE) },
  { weight: 1, arbitrary: fc.constant('u-nobody') },
)

const sortArb = fc.constantFrom<[string, Sort[] | undefined]>(
  ['newest', NEWEST],
  ['oldest', OLDEST],
  ['relevance', RELEVANCE],
  ['default', undefined],
)

export function propertyCases(ctx: ContractContext): void {
  const { test, numRuns } = ctx
  const params = (seed: number) => ({ numRuns, seed: SEED + seed, interruptAfterTimeLimit: 20_000 })

  describe('properties: messages against the oracle', () => {
    test('property: user queries (terms, filters, permission, sort, paging) match the oracle', async () => {
      const coverage = new Coverage()
      await fc.assert(
        fc.asyncProperty(
          messageCorpusArb,
          fc.nat(),
          fc.array(termPickArb, { minLength: 1, maxLength: 3 }),
          messageFiltersArb,
          searcherArb,
          sortArb,
          limitArb,
          async (corpus, anchor, picks, filters, who, [, sort], limit) => {
            const text = picks.map((p) => termText(p, corpus.final, anchor)).join(' ')
            const searcher =
              who ?? corpus.final[anchor % Math.max(corpus.final.length, 1)]?.recipients[0] ?? 'u1'
            const query = messageQuery(text, searcher, filterQueries(filters))
            await ctx.withBackend(async (backend) => {
              await loadCorpus(ctx, backend, corpus)
              coverage.add(
                await compareWithOracle(
                  backend,
                  'messages',
                  corpus.final,
                  { query, sort, limit },
                  { searcher },
                ),
              )
            })
          },
        ),
        params(1),
      )
      coverage.check(0.25)
    })

    test('property: random bool trees under the permission filter match the oracle, scores included', async () => {
      const coverage = new Coverage()
      await fc.assert(
        fc.asyncProperty(
          messageCorpusArb,
          messageTreeArb,
          fc.constantFrom(...PEOPLE),
          sortArb,
          limitArb,
          async (corpus, tree, searcher, [, sort], limit) => {
            const query: Query = { bool: { must: [tree], filter: [canSee(searcher)] } }
            await ctx.withBackend(async (backend) => {
              await loadCorpus(ctx, backend, corpus)
              coverage.add(
                await compareWithOracle(
                  backend,
                  'messages',
                  corpus.final,
                  { query, sort, limit },
                  { searcher, exactScores: true },
                ),
              )
            })
          },
        ),
        params(2),
      )
      coverage.check(0.25)
    })
  })

  describe('properties: users against the oracle', () => {
    const constant = (filter: Query, boost: number): Query => ({ constant_score: { filter, boost } })
    const nameRule = (kind: string, text: string): Query => {
      switch (kind) {
        case 'exact':
          return exactName(text)
        case 'prefix':
          return namePrefix(text)
        case 'typo':
          return nameTypo(text) ?? constant(nameSubstring(text), 1)
        case 'pinyin':
          return namePinyin(text)
        default:
          return constant(nameSubstring(text), 1)
      }
    }
    const userQueryArb = fc.oneof(
      nameTextArb.map(({ kind, text }) => ({ kind: `name ${kind}`, query: nameRule(kind, text) })),
      fc
        .tuple(fc.uniqueArray(fc.constantFrom(...TAG_POOL), { minLength: 1, maxLength: 3 }), fc.boolean())
        .map(([tags, all]) => ({
          kind: all ? 'tags all' : 'tags any',
          query: all ? tagsAll(tags) : tagsAny(tags),
        })),
      geoQueryArb.map((query) => ({ kind: 'geo', query })),
      fc
        .tuple(
          nameTextArb,
          fc.uniqueArray(fc.constantFrom(...TAG_POOL), { minLength: 1, maxLength: 2 }),
          geoQueryArb,
        )
        .map(([name, tags, geo]) => ({
          kind: 'combined',
          query: {
            bool: {
              should: [constant(nameRule(name.kind, name.text), 8), tagsAny(tags)],
              filter: [geo],
              minimum_should_match: 1,
            },
          } satisfies Query,
        })),
    )

    const userLeafArb: fc.Arbitrary<Query> = fc.oneof(
      nameTextArb.map(({ kind, text }) => nameRule(kind, text)),
      fc
        .uniqueArray(fc.constantFrom(...TAG_POOL), { minLength: 1, maxLength: 3 })
        .map((tags) => tagsAny(tags)),
      fc
        .tuple(
          fc.constantFrom(...TAG_POOL),
          fc.constantFrom('sum' as const, 'max' as const, 'avg' as const, 'none' as const),
        )
        .map(([t, mode]) => tagsAny([t, 'golf'], mode)),
      geoQueryArb,
      fc.boolean().map((value): Query => ({ term: { field: 'discoverable', value } })),
      fc.constant<Query>({ exists: { field: 'location' } }),
    )

    test('property: random bool trees over users match the oracle, with exact scores', async () => {
      const coverage = new Coverage()
      await fc.assert(
        fc.asyncProperty(userCorpusArb, treeOf(userLeafArb), limitArb, async (users, query, limit) => {
          await ctx.withBackend(async (backend) => {
            await ctx.load(backend, 'users', users)
            coverage.add(
              await compareWithOracle(backend, 'users', users, { query, limit }, { exactScores: true }),
            )
          })
        }),
        params(4),
      )
      coverage.check(0.25)
    })

    test('property: groups by name, description, tags, visibility, numbers and geo match the oracle', async () => {
      const groupLeafArb: fc.Arbitrary<Query> = fc.oneof(
        groupNameTextArb.map((text) => constant(nameSubstring(text), 2)),
        groupNameTextArb.map((text) => namePrefix(text)),
        fc
          .array(fc.constantFrom(...PIECES), { minLength: 1, maxLength: 2 })
          .map((ps): Query => ({ match_phrase: { field: 'description', query: ps.join(' ') } })),
        fc
          .uniqueArray(fc.constantFrom(...TAG_POOL), { minLength: 1, maxLength: 3 })
          .map((tags) => tagsAny(tags)),
        fc
          .constantFrom('public', 'private')
          .map((value): Query => ({ term: { field: 'visibility', value } })),
        fc.integer({ min: 1, max: 6 }).map((n): Query => ({ range: { field: 'memberCount', gte: n } })),
        geoQueryArb,
      )
      const groupSortArb = fc.constantFrom<Sort[] | undefined>(
        undefined,
        [{ field: { name: 'memberCount', order: 'desc' } }],
        [{ field: { name: 'createdAt', order: 'asc' } }, { field: { name: 'memberCount', order: 'asc' } }],
        [{ field: { name: 'visibility', order: 'asc' } }, { score: { order: 'desc' } }],
      )
      const coverage = new Coverage()
      await fc.assert(
        fc.asyncProperty(
          groupCorpusArb,
          treeOf(groupLeafArb),
          groupSortArb,
          limitArb,
          async (groups, query, sort, limit) => {
            await ctx.withBackend(async (backend) => {
              await ctx.load(backend, 'groups', groups)
              coverage.add(
                await compareWithOracle(
                  backend,
                  'groups',
                  groups,
                  { query, sort, limit },
                  { exactScores: true },
                ),
              )
            })
          },
        ),
        params(5),
      )
      coverage.check(0.25)
    })

    test('property: name, tag and geo queries match the oracle, with exact scores', async () => {
      const coverage = new Coverage()
      await fc.assert(
        fc.asyncProperty(
          userCorpusArb,
          userQueryArb,
          fc.boolean(),
          fc.option(pointArb, { nil: undefined }),
          limitArb,
          async (users, { query }, onlyDiscoverable, sortCenter, limit) => {
            const full: Query = onlyDiscoverable
              ? { bool: { must: [query], filter: [{ term: { field: 'discoverable', value: true } }] } }
              : query
            // Distance sort only over located users: where the unlocated go is not specified.
            const sort: Sort[] | undefined = sortCenter
              ? [{ geo_distance: { field: 'location', center: sortCenter, order: 'asc' } }]
              : undefined
            const located: Query = { bool: { must: [full], filter: [{ exists: { field: 'location' } }] } }
            await ctx.withBackend(async (backend) => {
              await ctx.load(backend, 'users', users)
              coverage.add(
                await compareWithOracle(
                  backend,
                  'users',
                  users,
                  { query: sortCenter ? located : full, sort, limit },
                  { exactScores: true },
                ),
              )
            })
          },
        ),
        params(3),
      )
      coverage.check(0.25)
    })
  })
}
