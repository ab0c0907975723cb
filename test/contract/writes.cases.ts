/**
 * @module Contract cases for writes and paging: replace by id, remove, stats, page tokens that
 * neither skip nor repeat, and page tokens the backend did not issue.
 */
import { describe, expect } from 'vitest'
import { InvalidPageTokenError } from '../../src/ports/search-backend.ts'
import type { Query } from '../../src/query/dsl.ts'
import { nameFields } from '../../src/services/documents.ts'
import {
  type ContractContext,
  canSee,
  ids,
  messageQuery,
  NEWEST,
  OLDEST,
  RELEVANCE,
  readAllPages,
  sortedIds,
} from './context.ts'
import { message, T0, USERS } from './fixtures.ts'

/** `n` messages to alice and bob, half of them about 周报, with sentAt ties every three. */
function many(n: number) {
  return Array.from({ length: n }, (_, i) =>
    message(`p${String(i).padStart(3, '0')}`, i % 2 === 0 ? `第${i}份周报 weekly report` : `闲聊 ${i}`, {
      sequenceId: i,
      sentAt: T0 + Math.floor(i / 3) * 1000,
    }),
  )
}

export function writeCases(ctx: ContractContext): void {
  const { test } = ctx

  describe('paging', () => {
    for (const [n, limit] of [
      [25, 7],
      [21, 7],
      [1, 1],
      [10, 100],
    ] as const) {
      for (const [label, sort] of [
        ['newest', NEWEST],
        ['oldest', OLDEST],
        ['relevance', RELEVANCE],
      ] as const) {
        test(`paging ${n} hits by ${limit}, ${label}: no skips, no repeats, next absent on the last page`, async (backend) => {
          const docs = many(n)
          await ctx.load(backend, 'messages', docs)
          const query: Query = { bool: { must: [{ match_all: {} }], filter: [canSee('bob')] } }
          const result = await readAllPages(backend, 'messages', { query, sort, limit })
          expect(result.total).toBe(n)
          expect(result.pages).toBe(Math.max(1, Math.ceil(n / limit)))
          expect(sortedIds(result.hits)).toEqual(docs.map((d) => d.messageId).sort())
          if (label !== 'relevance') {
            const expected = [...docs].sort((a, b) => a.sentAt - b.sentAt || a.sequenceId - b.sequenceId)
            if (label === 'newest') expected.reverse()
            expect(ids(result.hits)).toEqual(expected.map((d) => d.messageId))
          }
        })
      }
    }

    test('paging a text query by 3: every page agrees on total', async (backend) => {
      await ctx.load(backend, 'messages', many(30))
      const result = await readAllPages(backend, 'messages', {
        query: messageQuery('周报', 'alice'),
        limit: 3,
      })
      expect(result.total).toBe(15)
      expect(result.pages).toBe(5)
    })

    test('an invalid page token is an InvalidPageTokenError', async (backend) => {
      await ctx.load(backend, 'messages', many(10))
      const query = messageQuery('周报', 'alice')
      for (const after of ['garbage', '%%%', '🙂', 'not a token at all']) {
        await expect(backend.search('messages', { query, limit: 2, after }), after).rejects.toBeInstanceOf(
          InvalidPageTokenError,
        )
      }
    })

    test('a page token works for every page of the same request', async (backend) => {
      await ctx.load(backend, 'messages', many(10))
      const request = { query: messageQuery('周报', 'alice'), sort: NEWEST, limit: 2 }
      const first = await backend.search('messages', request)
      const second = await backend.search('messages', { ...request, after: first.next })
      const again = await backend.search('messages', { ...request, after: first.next })
      expect(ids(again.hits)).toEqual(ids(second.hits))
      expect(ids(second.hits)).toEqual(['p004', 'p002'])
    })
  })

  describe('writes', () => {
    test('re-indexing the same id replaces the document', async (backend) => {
      await ctx.load(backend, 'messages', [message('dup', '原来的内容 original')])
      await ctx.load(backend, 'messages', [message('dup', '修改后的内容 edited', { sequenceId: 2 })])
      const old = await backend.search('messages', { query: messageQuery('original', 'alice'), limit: 10 })
      expect(old).toMatchObject({ hits: [], total: 0 })
      const fresh = await backend.search('messages', { query: messageQuery('内容', 'alice'), limit: 10 })
      expect(fresh.total).toBe(1)
      expect(fresh.hits.map((h) => [h.id, h.document.content, h.document.sequenceId])).toEqual([
        ['dup', '修改后的内容 edited', 2],
      ])
      expect((await backend.stats('messages')).documents).toBe(1)
    })

    test('re-indexing with new recipients moves the permission', async (backend) => {
      await ctx.load(backend, 'messages', [message('perm', '机密文件')])
      await ctx.load(backend, 'messages', [message('perm', '机密文件', { recipients: ['alice', 'carol'] })])
      expect(
        (await backend.search('messages', { query: messageQuery('机密', 'bob'), limit: 10 })).total,
      ).toBe(0)
      expect(
        (await backend.search('messages', { query: messageQuery('机密', 'carol'), limit: 10 })).total,
      ).toBe(1)
    })

    test('a batch with the same id twice keeps one document', async (backend) => {
      await ctx.load(backend, 'messages', [message('twice', '第一版'), message('twice', '第二版')])
      const page = await backend.search('messages', { query: messageQuery('版', 'alice'), limit: 10 })
      expect(page.total).toBe(1)
      expect((await backend.stats('messages')).documents).toBe(1)
    })

    test('remove makes a document vanish from hits and totals', async (backend) => {
      const docs = many(6)
      await ctx.load(backend, 'messages', docs)
      await ctx.drop(backend, 'messages', ['p002', 'no-such-id'])
      const result = await readAllPages(backend, 'messages', {
        query: messageQuery('周报', 'alice'),
        limit: 1,
      })
      expect(sortedIds(result.hits)).toEqual(['p000', 'p004'])
      expect(result.total).toBe(2)
      const all = await backend.search('messages', {
        query: { bool: { filter: [canSee('alice')] } },
        limit: 100,
      })
      expect(all.total).toBe(5)
      expect((await backend.stats('messages')).documents).toBe(5)
    })

    test('a removed document can be indexed again', async (backend) => {
      await ctx.load(backend, 'messages', [message('back', '撤回又重发')])
      await ctx.drop(backend, 'messages', ['back'])
      expect(
        (await backend.search('messages', { query: messageQuery('重发', 'alice'), limit: 10 })).total,
      ).toBe(0)
      await ctx.load(backend, 'messages', [message('back', '撤回又重发')])
      expect(
        (await backend.search('messages', { query: messageQuery('重发', 'alice'), limit: 10 })).total,
      ).toBe(1)
    })

    test('indexes are separate: users do not show up in messages', async (backend) => {
      await ctx.load(backend, 'users', USERS)
      expect((await backend.stats('users')).documents).toBe(USERS.length)
      expect((await backend.stats('messages')).documents).toBe(0)
      expect((await backend.stats('groups')).documents).toBe(0)
      expect((await backend.search('messages', { query: { match_all: {} }, limit: 10 })).total).toBe(0)
    })

    test('re-indexing a user replaces its name forms', async (backend) => {
      await ctx.load(backend, 'users', USERS)
      const renamed = { ...USERS[0]!, ...nameFields('张大伟') }
      await ctx.load(backend, 'users', [renamed])
      const exact = await backend.search('users', {
        query: { term: { field: 'nameNormalized', value: '张伟' } },
        limit: 10,
      })
      expect(exact.total).toBe(0)
      const compact = await backend.search('users', {
        query: { match_phrase: { field: 'nameCompact', query: '大伟' } },
        limit: 10,
      })
      expect(ids(compact.hits)).toEqual(['u-zhangwei'])
    })
  })
}
