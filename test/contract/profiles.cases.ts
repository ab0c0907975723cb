/**
 * @module Contract cases for users and groups: name matching over the derived name fields, tags
 * scored by the sum of matched weights, geo queries and distance sort, privacy filters.
 */
import { describe, expect } from 'vitest'
import { normalizeTagName } from '../../src/domain/tag.ts'
import type { Query } from '../../src/query/dsl.ts'
import type { Sort } from '../../src/query/sort.ts'
import { tokenize } from '../../src/text/analyzer.ts'
import { compactName, normalizeName } from '../../src/text/name-forms.ts'
import { deletionNeighbourhood } from '../../src/text/typo.ts'
import { oracleSearch } from '../oracle/evaluate.ts'
import { type ContractContext, ids, readAllPages, sortedIds } from './context.ts'
import { GROUPS, PLACES, USERS } from './fixtures.ts'

/** Ranking weights of the name rules: exact > prefix > substring > typo and pinyin. */
export const NAME_BOOSTS = { exact: 16, prefix: 8, substring: 4, typo: 2, pinyin: 2 } as const

const constant = (filter: Query, boost: number): Query => ({ constant_score: { filter, boost } })

export function exactName(text: string): Query {
  return { term: { field: 'nameNormalized', value: normalizeName(text) } }
}
export function namePrefix(text: string): Query {
  return { prefix: { field: 'nameNormalized', value: normalizeName(text) } }
}
export function nameSubstring(text: string): Query {
  return { match_phrase: { field: 'nameCompact', query: text } }
}
/** The typo rule: some one-deletion key of a query word equals one of a name word. */
export function nameTypo(text: string): Query | undefined {
  const keys = [...new Set(tokenize(normalizeName(text)).flatMap(deletionNeighbourhood))]
  return keys.length > 0 ? { terms: { field: 'nameDeletes', values: keys } } : undefined
}
export function namePinyin(text: string): Query {
  return { prefix: { field: 'namePinyin', value: compactName(text) } }
}

/** A name search as the service builds it: every rule, ranked by constant scores. */
export function nameQuery(text: string, filter: Query[] = []): Query {
  const typo = nameTypo(text)
  const should: Query[] = [
    constant(exactName(text), NAME_BOOSTS.exact),
    constant(namePrefix(text), NAME_BOOSTS.prefix),
    constant(nameSubstring(text), NAME_BOOSTS.substring),
    ...(typo ? [constant(typo, NAME_BOOSTS.typo)] : []),
    constant(namePinyin(text), NAME_BOOSTS.pinyin),
  ]
  return { bool: { should, filter, minimum_should_match: 1 } }
}

/** Tags: any of them, scored by the sum of the matched tags' weights. */
export function tagsAny(tags: readonly string[], scoreMode: 'sum' | 'max' | 'avg' | 'none' = 'sum'): Query {
  return {
    nested: {
      path: 'tags',
      score_mode: scoreMode,
      query: {
        function_score: {
          query: { terms: { field: 'tags.name', values: tags.map(normalizeTagName) } },
          field_value_factor: { field: 'tags.weight' },
        },
      },
    },
  }
}

/** Tags: all of them required (one nested filter per tag), still scored by the weight sum. */
export function tagsAll(tags: readonly string[]): Query {
  return {
    bool: {
      must: [tagsAny(tags)],
      filter: tags.map(
        (tag): Query => ({
          nested: { path: 'tags', query: { term: { field: 'tags.name', value: normalizeTagName(tag) } } },
        }),
      ),
    },
  }
}

export function profileCases(ctx: ContractContext): void {
  const { test } = ctx

  describe('users: names', () => {
    const cases: [title: string, query: Query, expected: string[]][] = [
      ['exact name 张伟', exactName('张伟'), ['u-zhangwei']],
      ['exact name ignores case and width', exactName('ＷＩＬＬＩＡＭ  li'), ['u-william']],
      ['prefix 张', namePrefix('张'), ['u-zhangsan', 'u-zhangwei', 'u-zhangweiwei']],
      ['prefix will', namePrefix('Will'), ['u-william']],
      ['substring 伟', nameSubstring('伟'), ['u-wangwei', 'u-xiaozhangwei', 'u-zhangwei', 'u-zhangweiwei']],
      ['substring liam', nameSubstring('LIAM'), ['u-william']],
      ['substring across a space: "i z"', nameSubstring('i z'), ['u-weizhang']],
      ['typo wiliam (deletion)', nameTypo('wiliam')!, ['u-william']],
      ['typo willaim (transposition)', nameTypo('willaim')!, ['u-william']],
      ['typo zhnag', nameTypo('zhnag')!, ['u-weizhang']],
      ['pinyin zhangwei', namePinyin('zhangwei'), ['u-zhangwei', 'u-zhangweiwei']],
      ['pinyin zw', namePinyin('zw'), ['u-zhangwei', 'u-zhangweiwei']],
      ['pinyin "zhang wei" compacted', namePinyin('zhang wei'), ['u-zhangwei', 'u-zhangweiwei']],
      ['pinyin zeng (polyphonic surname 曾)', namePinyin('zeng'), ['u-zengxm']],
      ['pinyin ceng (the other reading of 曾)', namePinyin('ceng'), ['u-zengxm']],
      [
        'match on a fuzzy field is a substring too',
        { match: { field: 'nameCompact', query: 'Liam L' } },
        ['u-william'],
      ],
      [
        'exists on a nested field: a non-empty array',
        { exists: { field: 'tags' } },
        ['u-wangwei', 'u-weizhang', 'u-william', 'u-zengxm', 'u-zhangsan', 'u-zhangwei', 'u-zhangweiwei'],
      ],
      [
        'exists on a geo point',
        { exists: { field: 'location' } },
        [
          'u-wangwei',
          'u-weizhang',
          'u-william',
          'u-xiaozhangwei',
          'u-zhangsan',
          'u-zhangwei',
          'u-zhangweiwei',
        ],
      ],
      ['term on a boolean: false', { term: { field: 'discoverable', value: false } }, ['u-zhangweiwei']],
      [
        'terms on name words',
        { terms: { field: 'nameWords', values: ['li', '伟'] } },
        ['u-wangwei', 'u-william', 'u-xiaozhangwei', 'u-zhangwei', 'u-zhangweiwei'],
      ],
    ]
    for (const [title, query, expected] of cases) {
      test(`users: ${title}`, async (backend) => {
        await ctx.load(backend, 'users', USERS)
        const { hits } = await readAllPages(backend, 'users', { query, limit: 3 })
        expect(sortedIds(hits)).toEqual(expected)
      })
    }

    for (const text of ['zhangwei', 'zw', 'zhang wei', '张伟', '张']) {
      test(`users: the full name query "${text}" finds 张伟`, async (backend) => {
        await ctx.load(backend, 'users', USERS)
        const page = await backend.search('users', { query: nameQuery(text), limit: 10 })
        expect(ids(page.hits)).toContain('u-zhangwei')
      })
    }

    test('users: constant_score ranks exact > prefix > substring, with exact scores', async (backend) => {
      await ctx.load(backend, 'users', USERS)
      const page = await backend.search('users', { query: nameQuery('张伟'), limit: 10 })
      const { exact, prefix, substring } = NAME_BOOSTS
      expect(page.hits.map((h) => [h.id, h.score])).toEqual([
        ['u-zhangwei', exact + prefix + substring],
        ['u-zhangweiwei', prefix + substring],
        ['u-xiaozhangwei', substring],
      ])
      expect(page.total).toBe(3)
    })

    test('users: discoverable: true hides those who opted out', async (backend) => {
      await ctx.load(backend, 'users', USERS)
      const query = nameQuery('张伟', [{ term: { field: 'discoverable', value: true } }])
      const page = await backend.search('users', { query, limit: 10 })
      expect(ids(page.hits)).toEqual(['u-zhangwei', 'u-xiaozhangwei'])
    })
  })

  describe('users: tags', () => {
    test('users: tags, any: score is the sum of the matched weights', async (backend) => {
      await ctx.load(backend, 'users', USERS)
      const { hits, total } = await readAllPages(backend, 'users', {
        query: tagsAny(['Golf', '摄影']),
        limit: 2,
      })
      expect(total).toBe(5)
      expect(Object.fromEntries(hits.map((h) => [h.id, h.score]))).toEqual({
        'u-zhangwei': 5,
        'u-wangwei': 5,
        'u-zhangweiwei': 4,
        'u-william': 2,
        'u-zhangsan': 1,
      })
      for (let i = 0; i + 1 < hits.length; i++)
        expect(hits[i]!.score).toBeGreaterThanOrEqual(hits[i + 1]!.score)
    })

    test('users: tags, all: every tag required', async (backend) => {
      await ctx.load(backend, 'users', USERS)
      const page = await backend.search('users', { query: tagsAll(['golf', '摄影']), limit: 10 })
      expect(page.hits.map((h) => [h.id, h.score])).toEqual([['u-zhangwei', 5]])
      const hikers = await backend.search('users', { query: tagsAll(['GOLF', 'hiking']), limit: 10 })
      expect(hikers.hits.map((h) => [h.id, h.score])).toEqual([['u-william', 3.5]])
    })

    test('users: nested score modes max, avg and none', async (backend) => {
      await ctx.load(backend, 'users', USERS)
      const scoreOf = async (mode: 'max' | 'avg' | 'none') => {
        const page = await backend.search('users', {
          query: { bool: { must: [tagsAny(['golf', '摄影'], mode)], filter: [exactName('张伟')] } },
          limit: 10,
        })
        expect(ids(page.hits)).toEqual(['u-zhangwei'])
        return page.hits[0]?.score
      }
      expect(await scoreOf('max')).toBe(3)
      expect(await scoreOf('avg')).toBe(2.5)
      expect(await scoreOf('none')).toBe(0)
    })

    test('groups: tags any, with a visibility filter', async (backend) => {
      await ctx.load(backend, 'groups', GROUPS)
      const all = await backend.search('groups', { query: tagsAny(['golf']), limit: 10 })
      expect(all.hits.map((h) => [h.id, h.score])).toEqual([
        ['g-golf', 5],
        ['g-lovers', 2],
      ])
      const query: Query = {
        bool: { must: [tagsAny(['golf'])], filter: [{ term: { field: 'visibility', value: 'public' } }] },
      }
      const visible = await backend.search('groups', { query, limit: 10 })
      expect(visible.hits.map((h) => [h.id, h.score])).toEqual([['g-lovers', 2]])
    })
  })

  describe('users and groups: geo', () => {
    test('geo_distance: within 10 km of the Bund', async (backend) => {
      await ctx.load(backend, 'users', USERS)
      const query: Query = { geo_distance: { field: 'location', center: PLACES.shanghai, distance: 10_000 } }
      expect(sortedIds((await backend.search('users', { query, limit: 10 })).hits)).toEqual([
        'u-william',
        'u-zhangwei',
        'u-zhangweiwei',
      ])
      const near: Query = { geo_distance: { field: 'location', center: PLACES.shanghai, distance: 5_000 } }
      expect(sortedIds((await backend.search('users', { query: near, limit: 10 })).hits)).toEqual([
        'u-zhangwei',
        'u-zhangweiwei',
      ])
    })

    test('geo_bounding_box: greater Shanghai', async (backend) => {
      await ctx.load(backend, 'users', USERS)
      const query: Query = {
        geo_bounding_box: {
          field: 'location',
          top_left: { lat: 31.5, lon: 121.0 },
          bottom_right: { lat: 31.0, lon: 121.9 },
        },
      }
      expect(sortedIds((await backend.search('users', { query, limit: 10 })).hits)).toEqual([
        'u-william',
        'u-zhangwei',
        'u-zhangweiwei',
      ])
    })

    test('geo_bounding_box across the antimeridian', async (backend) => {
      await ctx.load(backend, 'users', USERS)
      const query: Query = {
        geo_bounding_box: {
          field: 'location',
          top_left: { lat: -10, lon: 170 },
          bottom_right: { lat: -20, lon: -170 },
        },
      }
      expect(sortedIds((await backend.search('users', { query, limit: 10 })).hits)).toEqual([
        'u-weizhang',
        'u-xiaozhangwei',
      ])
    })

    test('geo_polygon: a triangle around Hangzhou', async (backend) => {
      await ctx.load(backend, 'users', USERS)
      const query: Query = {
        geo_polygon: {
          field: 'location',
          points: [
            { lat: 30.5, lon: 119.9 },
            { lat: 30.5, lon: 120.5 },
            { lat: 30.0, lon: 120.2 },
          ],
        },
      }
      expect(sortedIds((await backend.search('users', { query, limit: 10 })).hits)).toEqual(['u-zhangsan'])
    })

    test('geo_distance sort: nearest first', async (backend) => {
      await ctx.load(backend, 'users', USERS)
      const sort: Sort[] = [{ geo_distance: { field: 'location', center: PLACES.shanghai, order: 'asc' } }]
      const query: Query = {
        bool: {
          filter: [{ exists: { field: 'location' } }, { term: { field: 'discoverable', value: true } }],
        },
      }
      const { hits } = await readAllPages(backend, 'users', { query, sort, limit: 4 })
      expect(ids(hits)).toEqual([
        'u-zhangwei',
        'u-william',
        'u-zhangsan',
        'u-wangwei',
        'u-weizhang',
        'u-xiaozhangwei',
      ])
      expect(oracleSearch('users', USERS, query, sort).firstOutOfOrder(hits)).toBe(-1)
      const far: Sort[] = [{ geo_distance: { field: 'location', center: PLACES.shanghai, order: 'desc' } }]
      const farthest = await backend.search('users', { query, sort: far, limit: 2 })
      expect(ids(farthest.hits)).toEqual(['u-xiaozhangwei', 'u-weizhang'])
    })

    test('groups: geo_distance with visibility public', async (backend) => {
      await ctx.load(backend, 'groups', GROUPS)
      const query: Query = {
        bool: {
          filter: [
            { geo_distance: { field: 'location', center: PLACES.shanghai, distance: 20_000 } },
            { term: { field: 'visibility', value: 'public' } },
          ],
        },
      }
      expect(sortedIds((await backend.search('groups', { query, limit: 10 })).hits)).toEqual([
        'g-lovers',
        'g-photo',
      ])
    })
  })

  describe('groups: names, descriptions, numbers', () => {
    test('groups: name substring and visibility', async (backend) => {
      await ctx.load(backend, 'groups', GROUPS)
      const golf = await backend.search('groups', { query: nameQuery('高尔夫'), limit: 10 })
      expect(ids(golf.hits)).toEqual(['g-golf'])
      const publicOnly = nameQuery('高尔夫', [{ term: { field: 'visibility', value: 'public' } }])
      expect((await backend.search('groups', { query: publicOnly, limit: 10 })).total).toBe(0)
      const lovers = await backend.search('groups', { query: nameSubstring('golflov'), limit: 10 })
      expect(ids(lovers.hits)).toEqual(['g-lovers'])
    })

    test('groups: description is analysed text', async (backend) => {
      await ctx.load(backend, 'groups', GROUPS)
      const bund = await backend.search('groups', {
        query: { match_phrase: { field: 'description', query: '外滩' } },
        limit: 10,
      })
      expect(ids(bund.hits)).toEqual(['g-photo'])
      const shanghai = await backend.search('groups', {
        query: { match: { field: 'description', query: 'SHANGHAI golf', operator: 'and' } },
        limit: 10,
      })
      expect(ids(shanghai.hits)).toEqual(['g-lovers'])
    })

    test('groups: range and sort on memberCount', async (backend) => {
      await ctx.load(backend, 'groups', GROUPS)
      const page = await backend.search('groups', {
        query: { range: { field: 'memberCount', gte: 10 } },
        sort: [{ field: { name: 'memberCount', order: 'desc' } }],
        limit: 10,
      })
      expect(ids(page.hits)).toEqual(['g-photo', 'g-lovers', 'g-golf'])
      const exact = await backend.search('groups', {
        query: { terms: { field: 'memberCount', values: [12, 40, 41] } },
        sort: [{ field: { name: 'memberCount', order: 'asc' } }],
        limit: 10,
      })
      expect(ids(exact.hits)).toEqual(['g-golf', 'g-lovers'])
    })

    test('groups: function_score with factor on a top-level field', async (backend) => {
      await ctx.load(backend, 'groups', GROUPS)
      const query: Query = {
        function_score: {
          query: { term: { field: 'visibility', value: 'public' } },
          field_value_factor: { field: 'memberCount', factor: 0.5 },
        },
      }
      const page = await backend.search('groups', { query, limit: 10 })
      expect(page.hits.map((h) => [h.id, h.score])).toEqual([
        ['g-photo', 60],
        ['g-lovers', 20],
        ['g-books', 4],
      ])
    })
  })
}
