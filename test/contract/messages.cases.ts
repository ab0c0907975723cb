/**
 * @module Contract cases for messages: the matching rule's examples from issue #3, filters, sorts,
 * totals and the permission filter.
 */
import { describe, expect } from 'vitest'
import type { SearchBackend } from '../../src/ports/search-backend.ts'
import type { Query } from '../../src/query/dsl.ts'
import { oracleSearch } from '../oracle/evaluate.ts'
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
import { T0, TEAM_MESSAGES, TEXT_MESSAGES } from './fixtures.ts'

const MINUTE = 60_000

export function messageCases(ctx: ContractContext): void {
  const { test } = ctx

  /** Ids of alice's messages matching `text`, over every page. */
  async function find(backend: SearchBackend, text: string, filters: Query[] = []): Promise<string[]> {
    const result = await readAllPages(backend, 'messages', {
      query: messageQuery(text, 'alice', filters),
      limit: 100,
    })
    return sortedIds(result.hits)
  }

  describe('messages: the matching rule (issue #3)', () => {
    const cases: [query: string, expected: string[]][] = [
      ['上海', ['m-shanghai']],
      ['测', ['m-test']],
      ['测试', ['m-test']],
      ['jwt', ['m-jwt']],
      ['JWT令牌', ['m-jwt']],
      ['jw', []],
      ['解析pdf', ['m-pdf']],
      ['解析 PDF', ['m-pdf']],
      ['"quick brown"', ['m-fox']],
      ['"brown quick"', []],
      ['quick fox', ['m-fox']],
      ['"quick fox"', []],
      ['"上海 东边"', ['m-shanghai']],
      ['上海 东边', ['m-shanghai']],
      ['上海 jwt', []],
      ['海上', ['m-moon']],
      ['カタカナ', ['m-kana']],
      ['ｶﾀｶﾅ', ['m-kana']],
      ['のテスト', ['m-kana']],
      ['한국어', ['m-hangul']],
      ['국어 검색', ['m-hangul']],
      ['hello', ['m-fullwidth']],
      ['ＷＯＲＬＤ', ['m-fullwidth']],
      ['2025', ['m-fullwidth']],
      ['shanghai', ['m-mixed']],
      ['3点', ['m-mixed']],
      ['laptop 开会', ['m-mixed']],
      ['lap', []],
    ]
    for (const [query, expected] of cases) {
      test(`"${query}" finds ${expected.length ? expected.join(', ') : 'nothing'}`, async (backend) => {
        await ctx.load(backend, 'messages', TEXT_MESSAGES)
        expect(await find(backend, query)).toEqual(expected)
      })
    }

    test('every hit is the document as indexed, under its id', async (backend) => {
      await ctx.load(backend, 'messages', TEXT_MESSAGES)
      const page = await backend.search('messages', { query: messageQuery('上海', 'alice'), limit: 10 })
      expect(page.hits.map((h) => [h.id, h.document])).toEqual([['m-shanghai', TEXT_MESSAGES[0]]])
      expect(page.hits[0]?.score).toBeGreaterThan(0)
    })

    test('match with operator and needs every token, in any order', async (backend) => {
      await ctx.load(backend, 'messages', TEXT_MESSAGES)
      const query: Query = { match: { field: 'content', query: 'fox quick', operator: 'and' } }
      const page = await backend.search('messages', { query, limit: 10 })
      expect(sortedIds(page.hits)).toEqual(['m-fox'])
      const none: Query = { match: { field: 'content', query: 'fox jwt', operator: 'and' } }
      expect((await backend.search('messages', { query: none, limit: 10 })).total).toBe(0)
    })

    test('match with operator or needs minimum_should_match tokens', async (backend) => {
      await ctx.load(backend, 'messages', TEXT_MESSAGES)
      const any: Query = { match: { field: 'content', query: 'fox jwt 한', operator: 'or' } }
      expect(sortedIds((await backend.search('messages', { query: any, limit: 10 })).hits)).toEqual([
        'm-fox',
        'm-hangul',
        'm-jwt',
      ])
      const two: Query = {
        match: { field: 'content', query: 'fox lazy jwt', operator: 'or', minimum_should_match: 2 },
      }
      expect(sortedIds((await backend.search('messages', { query: two, limit: 10 })).hits)).toEqual(['m-fox'])
    })
  })

  describe('messages: filters, sorts, totals, permissions', () => {
    test('filter by conversationId', async (backend) => {
      await ctx.load(backend, 'messages', TEAM_MESSAGES)
      const filter: Query = { term: { field: 'conversationId', value: 'g-team' } }
      expect(await find(backend, '周会', [filter])).toEqual(['t1', 't2', 't3', 't4', 't7'])
    })

    test('filter by senderId', async (backend) => {
      await ctx.load(backend, 'messages', TEAM_MESSAGES)
      const filter: Query = { term: { field: 'senderId', value: 'bob' } }
      expect(await find(backend, '周会', [filter])).toEqual(['t2', 't5', 't7'])
    })

    test('filter by type', async (backend) => {
      await ctx.load(backend, 'messages', TEAM_MESSAGES)
      const filter: Query = { terms: { field: 'type', values: ['image', 'file'] } }
      expect(await find(backend, '周会', [filter])).toEqual(['t2', 't3'])
    })

    test('filter by time range', async (backend) => {
      await ctx.load(backend, 'messages', TEAM_MESSAGES)
      const filter: Query = { range: { field: 'sentAt', gte: T0 + MINUTE, lt: T0 + 4 * MINUTE } }
      expect(await find(backend, '周会', [filter])).toEqual(['t2', 't3', 't4', 't5'])
      const open: Query = { range: { field: 'sentAt', gt: T0 + 2 * MINUTE } }
      expect(await find(backend, '周会', [open])).toEqual(['t7'])
    })

    test('newest first: sentAt, then sequenceId, descending', async (backend) => {
      await ctx.load(backend, 'messages', TEAM_MESSAGES)
      const page = await backend.search('messages', {
        query: messageQuery('周会', 'alice'),
        sort: NEWEST,
        limit: 10,
      })
      expect(page.hits.map((h) => h.id)).toEqual(['t7', 't4', 't5', 't3', 't2', 't1'])
      expect(page.total).toBe(6)
    })

    test('oldest first: sentAt, then sequenceId, ascending', async (backend) => {
      await ctx.load(backend, 'messages', TEAM_MESSAGES)
      const page = await backend.search('messages', {
        query: messageQuery('周会', 'alice'),
        sort: OLDEST,
        limit: 10,
      })
      expect(page.hits.map((h) => h.id)).toEqual(['t1', 't2', 't3', 't5', 't4', 't7'])
    })

    test('relevance: scores never increase down the list', async (backend) => {
      await ctx.load(backend, 'messages', TEAM_MESSAGES)
      const { hits } = await readAllPages(backend, 'messages', {
        query: messageQuery('周会', 'bob'),
        sort: RELEVANCE,
        limit: 2,
      })
      expect(hits).toHaveLength(7)
      for (let i = 0; i + 1 < hits.length; i++)
        expect(hits[i]!.score).toBeGreaterThanOrEqual(hits[i + 1]!.score)
    })

    test('every hit reports the score it was ranked by, under a field sort too (never a made-up 0)', async (backend) => {
      // The port's promise (SearchHit.score): a backend that ranks without reporting scores must
      // ask for them (Tablestore: with highlighting), under any sort, on every page.
      await ctx.load(backend, 'messages', TEAM_MESSAGES)
      const query = messageQuery('周会', 'bob')
      const byScore = await readAllPages(backend, 'messages', { query, sort: RELEVANCE, limit: 3 })
      const byTime = await readAllPages(backend, 'messages', { query, sort: NEWEST, limit: 3 })
      const scores = (hits: { id: string; score: number }[]) =>
        Object.fromEntries(hits.map((h) => [h.id, h.score]))
      expect(byScore.hits).toHaveLength(7)
      for (const hit of byScore.hits) expect(hit.score).toBeGreaterThan(0)
      expect(scores(byTime.hits)).toEqual(scores(byScore.hits))
    })

    test('no sort means score descending', async (backend) => {
      await ctx.load(backend, 'messages', TEAM_MESSAGES)
      const query: Query = {
        bool: {
          should: [
            { constant_score: { filter: { term: { field: 'type', value: 'file' } }, boost: 5 } },
            { constant_score: { filter: { term: { field: 'senderId', value: 'carol' } }, boost: 3 } },
            { constant_score: { filter: { term: { field: 'conversationId', value: 'g-team' } }, boost: 1 } },
          ],
          filter: [canSee('alice')],
          minimum_should_match: 1,
        },
      }
      const page = await backend.search('messages', { query, limit: 10 })
      expect(page.hits.slice(0, 2).map((h) => [h.id, h.score])).toEqual([
        ['t2', 6],
        ['t3', 4],
      ])
      expect(page.hits.slice(2).map((h) => h.score)).toEqual([1, 1, 1])
      expect(sortedIds(page.hits.slice(2))).toEqual(['t1', 't4', 't7'])
    })

    test('total counts every match, not just the page', async (backend) => {
      await ctx.load(backend, 'messages', TEAM_MESSAGES)
      const page = await backend.search('messages', {
        query: messageQuery('周会', 'bob'),
        sort: NEWEST,
        limit: 3,
      })
      expect(page.hits).toHaveLength(3)
      expect(page.total).toBe(7)
      expect(page.next).toBeTypeOf('string')
    })

    test('the permission filter: never a hit whose recipients lack the searcher', async (backend) => {
      await ctx.load(backend, 'messages', [...TEAM_MESSAGES, ...TEXT_MESSAGES])
      for (const user of ['alice', 'bob', 'carol', 'dave', 'mallory']) {
        const query: Query = { bool: { must: [{ match_all: {} }], filter: [canSee(user)] } }
        const { hits, total } = await readAllPages(backend, 'messages', { query, limit: 4 })
        for (const hit of hits) expect(hit.document.recipients, `${hit.id} for ${user}`).toContain(user)
        const visible = [...TEAM_MESSAGES, ...TEXT_MESSAGES].filter((m) => m.recipients.includes(user))
        expect(total, user).toBe(visible.length)
        expect(sortedIds(hits)).toEqual(visible.map((m) => m.messageId).sort())
      }
    })

    test('the permission filter holds when the text matches everywhere', async (backend) => {
      await ctx.load(backend, 'messages', TEAM_MESSAGES)
      expect(
        await readAllPages(backend, 'messages', { query: messageQuery('周会', 'dave'), limit: 5 }),
      ).toMatchObject({
        total: 1,
        hits: [{ id: 't6' }],
      })
      const carol = await readAllPages(backend, 'messages', {
        query: messageQuery('周会', 'carol'),
        limit: 5,
      })
      expect(sortedIds(carol.hits)).toEqual(['t1', 't2', 't3', 't4', 't7'])
    })

    test('an empty match set gives an empty page and total 0', async (backend) => {
      await ctx.load(backend, 'messages', TEAM_MESSAGES)
      for (const query of [messageQuery('不存在的词', 'alice'), messageQuery('周会', 'nobody')]) {
        const page = await backend.search('messages', { query, limit: 10 })
        expect(page).toMatchObject({ hits: [], total: 0 })
        expect(page.next).toBeUndefined()
      }
    })

    test('an empty index answers with an empty page', async (backend) => {
      const page = await backend.search('messages', { query: { match_all: {} }, sort: NEWEST, limit: 10 })
      expect(page).toMatchObject({ hits: [], total: 0 })
      expect(page.next).toBeUndefined()
    })

    test('the oracle agrees with the hand-written expectations', async () => {
      // Guards the oracle itself: the property tests are only as good as it is.
      const r = oracleSearch('messages', TEAM_MESSAGES, messageQuery('周会', 'alice'), NEWEST)
      expect(r.total).toBe(6)
      const ordered = ['t7', 't4', 't5', 't3', 't2', 't1'].map((id) => ({ id, score: 0 }))
      expect(r.firstOutOfOrder(ordered)).toBe(-1)
      expect(r.firstOutOfOrder([...ordered].reverse())).toBe(0)
    })
  })
}
