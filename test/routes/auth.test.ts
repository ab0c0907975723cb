/**
 * Auth on every resource route (issue 4): 401 without or with a bad token, 403 with the wrong
 * scope, and the caller always taken from the token's `sub`, never from a query parameter.
 */
import { SignJWT } from 'jose'
import { beforeAll, describe, expect, it } from 'vitest'
import type { Scope } from '../../src/http/context.ts'
import { signToken } from '../../src/http/dev-tokens.ts'
import {
  createFixtureHarness,
  createHarness,
  expectJson,
  expectProblem,
  type Harness,
  JWT_SECRET,
  qs,
} from './harness.ts'

interface RouteCase {
  method: 'GET' | 'PUT' | 'POST' | 'DELETE'
  path: string
  scope: Scope
  body?: unknown
}

const message = {
  messageId: 'm1',
  conversationId: 'dm:a:b',
  senderId: 'a',
  content: '你好',
  recipients: ['b'],
}

/** Every resource route of the issue, with the scope it needs. */
const ROUTES: RouteCase[] = [
  { method: 'PUT', path: '/v1/users/u1', scope: 'ingest', body: { name: '张伟' } },
  { method: 'GET', path: '/v1/users/u1', scope: 'search' },
  { method: 'DELETE', path: '/v1/users/u1', scope: 'ingest' },
  { method: 'PUT', path: '/v1/users/u1/contacts/u2', scope: 'ingest', body: { nickname: '芳芳' } },
  { method: 'DELETE', path: '/v1/users/u1/contacts/u2', scope: 'ingest' },
  { method: 'PUT', path: '/v1/groups/g1', scope: 'ingest', body: { name: '前端技术交流群', ownerId: 'u1' } },
  { method: 'GET', path: '/v1/groups/g1', scope: 'search' },
  { method: 'DELETE', path: '/v1/groups/g1', scope: 'ingest' },
  { method: 'PUT', path: '/v1/groups/g1/members/u2', scope: 'ingest' },
  { method: 'DELETE', path: '/v1/groups/g1/members/u2', scope: 'ingest' },
  { method: 'GET', path: '/v1/groups/g1/members', scope: 'search' },
  { method: 'POST', path: '/v1/messages', scope: 'ingest', body: message },
  { method: 'POST', path: '/v1/messages/batch', scope: 'ingest', body: { messages: [message] } },
  { method: 'DELETE', path: '/v1/messages/m1', scope: 'ingest' },
  { method: 'GET', path: '/v1/conversations/dm:a:b/messages', scope: 'search' },
  { method: 'GET', path: '/v1/search/messages?q=hello', scope: 'search' },
  { method: 'GET', path: '/v1/search/users?q=zhang', scope: 'search' },
  { method: 'GET', path: '/v1/search/groups?q=前端', scope: 'search' },
  { method: 'GET', path: '/v1/me/groups', scope: 'search' },
  { method: 'GET', path: '/v1/me/contacts', scope: 'search' },
]

const otherScopes = (scope: Scope): Scope[] =>
  (['search', 'ingest', 'admin'] as const).filter((s) => s !== scope)

describe('auth on every route', () => {
  let h: Harness
  beforeAll(() => {
    h = createHarness()
  })

  it.each(ROUTES)('$method $path: 401 without a token', async ({ method, path, body }) => {
    const p = expectProblem(await h.call(method, encodeURI(path), { body }), 401)
    expect(p.type).toMatch(/missing-token$/)
  })

  it.each(ROUTES)(
    '$method $path: 401 with a token signed by another secret',
    async ({ method, path, body, scope }) => {
      const forged = await signToken({
        secret: 'not-the-server-secret-xxxxxxxxxxxxxxxx',
        sub: 'u1',
        scopes: [scope],
      })
      const reply = await h.call(method, encodeURI(path), { rawToken: forged, body })
      expectProblem(reply, 401)
      expect(reply.headers.get('www-authenticate')).toMatch(/^Bearer /)
    },
  )

  it.each(ROUTES)('$method $path: 401 with an expired token', async ({ method, path, body, scope }) => {
    const expired = await signToken({ secret: JWT_SECRET, sub: 'u1', scopes: [scope], expiresIn: -600 })
    const p = expectProblem(await h.call(method, encodeURI(path), { rawToken: expired, body }), 401)
    expect(p.detail).toMatch(/expired/)
  })

  it.each(ROUTES)('$method $path: 403 with only the other scopes', async ({ method, path, body, scope }) => {
    const reply = await h.call(method, encodeURI(path), { as: 'u1', scopes: otherScopes(scope), body })
    const p = expectProblem(reply, 403)
    expect(p.type).toMatch(/insufficient-scope$/)
    expect(p.detail).toContain(scope)
  })

  it('401 for a malformed Authorization header and for a token without sub', async () => {
    expectProblem(await h.call('GET', '/v1/me/groups', { headers: { authorization: 'Basic dTE6cHc=' } }), 401)
    expectProblem(await h.call('GET', '/v1/me/groups', { rawToken: 'not.a.jwt' }), 401)
    const noSub = await new SignJWT({ scope: 'search' })
      .setProtectedHeader({ alg: 'HS256' })
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode(JWT_SECRET))
    expectProblem(await h.call('GET', '/v1/me/groups', { rawToken: noSub }), 401)
  })

  it('a token with the right scope passes auth (admin does not imply search)', async () => {
    expectJson(await h.call('GET', '/v1/me/groups', { as: 'u1', scopes: ['search'] }), 200)
    expectProblem(await h.call('GET', '/v1/me/groups', { as: 'u1', scopes: ['admin'] }), 403)
  })
})

describe('the caller comes from the token, never from a parameter', () => {
  let h: Harness
  beforeAll(async () => {
    h = await createFixtureHarness()
  })

  it('message search: u6 cannot read u1 and u2’s direct messages by naming u1', async () => {
    for (const param of ['userId', 'callerId', 'sub', 'caller']) {
      const body = expectJson(
        await h.get('u6', `/v1/search/messages${qs({ q: '上海东边', [param]: 'u1' })}`),
        200,
      )
      expect(body).toEqual({ hits: [], total: 0 })
    }
    const own = expectJson(
      await h.get('u1', `/v1/search/messages${qs({ q: '上海东边', userId: 'u6' })}`),
      200,
    )
    expect(own.hits.map((x: { messageId: string }) => x.messageId)).toEqual(['m-anchor-02'])
  })

  it('history, my groups, my contacts and hidden profiles ignore userId/callerId', async () => {
    expectProblem(await h.get('u6', `/v1/conversations/dm:u1:u2/messages${qs({ userId: 'u1' })}`), 404)
    expectProblem(await h.get('u6', `/v1/conversations/g2/messages${qs({ callerId: 'u7' })}`), 404)
    expect(expectJson(await h.get('u8', `/v1/me/groups${qs({ userId: 'u1' })}`), 200)).toEqual({ hits: [] })
    const contacts = expectJson(await h.get('u8', `/v1/me/contacts${qs({ callerId: 'u1' })}`), 200)
    expect(contacts).toMatchObject({ hits: [], total: 0 })
    expectProblem(await h.get('u1', `/v1/users/u5${qs({ userId: 'u5' })}`), 404)
    expectProblem(await h.get('u6', `/v1/groups/g2${qs({ userId: 'u7' })}`), 404)
    expectProblem(await h.get('u6', `/v1/groups/g2/members${qs({ callerId: 'u7' })}`), 404)
  })

  it('discovery: u5 stays hidden and g2 stays private for a caller naming someone else', async () => {
    const users = expectJson(await h.get('u2', `/v1/search/users${qs({ q: '刘洋', userId: 'u5' })}`), 200)
    expect(users.hits.map((x: { userId: string }) => x.userId)).not.toContain('u5')
    const groups = expectJson(
      await h.get('u2', `/v1/search/groups${qs({ q: '表格存储开发者群', callerId: 'u7' })}`),
      200,
    )
    expect(groups).toEqual({ hits: [], total: 0 })
  })
})
