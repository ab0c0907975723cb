/**
 * Error statuses that do not belong to one resource (issue 4, "Errors and limits"): unknown
 * routes, wrong methods, the rate limit (429) and an unavailable backend (503) on the resource
 * routes, always as `application/problem+json`, never a 500.
 */
import { describe, expect, it } from 'vitest'
import type { SearchBackend } from '../../src/ports/search-backend.ts'
import { createHarness, expectJson, expectProblem, qs } from './harness.ts'

describe('routing problems', () => {
  it('404 for an unknown path and 405 with Allow for a wrong method, as problems', async () => {
    const h = createHarness()
    expectProblem(await h.get('u1', '/v1/nothing-here'), 404)
    expectProblem(await h.get('u1', '/v1/search/everything?q=x'), 404)
    const reply = await h.call('PATCH', '/v1/users/u1', { as: 'u1', scopes: ['ingest'], body: { name: 'x' } })
    expectProblem(reply, 405)
    expect(reply.headers.get('allow')).toMatch(/PUT/)
    expectProblem(await h.call('POST', '/v1/search/messages', { as: 'u1', body: {} }), 405)
  })
})

describe('429 when a rate limit is configured', () => {
  it('counts per caller and answers with Retry-After', async () => {
    const h = createHarness({ rateLimitPerMinute: 3 })
    for (let i = 0; i < 3; i++) expectJson(await h.get('u1', `/v1/search/messages${qs({ q: '你好' })}`), 200)
    const reply = await h.get('u1', `/v1/search/messages${qs({ q: '你好' })}`)
    expectProblem(reply, 429)
    expect(Number(reply.headers.get('retry-after'))).toBeGreaterThan(0)
    expectProblem(await h.get('u1', '/v1/me/groups'), 429)
    // Another caller has their own allowance.
    expectJson(await h.get('u2', '/v1/me/groups'), 200)
  })
})

/** A backend whose network is down: every call fails as a connection refusal would. */
function unreachable(inner: SearchBackend): SearchBackend {
  const down = async () => {
    throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:8500'), { code: 'ECONNREFUSED' })
  }
  return {
    name: inner.name,
    index: down,
    remove: down,
    search: down,
    searchGrouped: down,
    stats: down,
    rebuild: down,
    close: () => inner.close(),
  } as SearchBackend
}

describe('503 when the search backend is unavailable', () => {
  it.each([
    ['PUT', '/v1/users/u1', { name: '张伟' }, 'ingest'],
    [
      'POST',
      '/v1/messages',
      { messageId: 'm1', conversationId: 'dm:u1:u2', senderId: 'u1', content: '在吗', recipients: ['u2'] },
      'ingest',
    ],
    ['GET', `/v1/search/messages${qs({ q: '上海' })}`, undefined, 'search'],
    ['GET', `/v1/search/users${qs({ q: '张伟' })}`, undefined, 'search'],
    ['GET', `/v1/search/groups${qs({ q: '前端' })}`, undefined, 'search'],
    ['GET', '/v1/me/contacts', undefined, 'search'],
  ] as const)('%s %s answers 503 problem+json, not 500', async (method, path, body, scope) => {
    const h = createHarness({ backend: unreachable })
    const reply = await h.call(method, path, { as: 'u1', scopes: [scope], body })
    expectProblem(reply, 503)
  })
})
