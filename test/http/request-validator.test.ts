/**
 * A route made by `createRouter` checks its query and path in one synchronous middleware
 * (`request-validator.ts`) instead of zod-openapi's validators. The oracle is zod-openapi itself:
 * the same route on a plain `OpenAPIHono` with the same hook. For any query string — Chinese and
 * English, valid or not, names repeated — and any path, both answer the same status and the same
 * body: the 400 problem document byte for byte, or what the handler read from `c.req.valid(...)`.
 * A schema that refines asynchronously still gets zod's asynchronous parse.
 */
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { AppEnv } from '../../src/http/context.ts'
import { createErrorHandler } from '../../src/http/error-handler.ts'
import { createRouter, validationHook } from '../../src/http/router.ts'
import { messageSearchQuery } from '../../src/http/routes/search.routes.ts'

const searchRoute = createRoute({
  method: 'get',
  path: '/search/{conversationId}',
  request: {
    query: messageSearchQuery(),
    params: z.object({ conversationId: z.string().regex(/^[\w-]{1,8}$/) }),
  },
  responses: { 200: { description: 'echo' } },
})

/** The route on `router`, mounted as `createApp` mounts routers, answering what it validated. */
function appWith(router: OpenAPIHono<AppEnv>) {
  const routed = router.openapi(searchRoute, (c) =>
    c.json({ query: c.req.valid('query'), params: c.req.valid('param') }, 200),
  )
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook })
  app.route('/v1', routed)
  app.onError(createErrorHandler())
  return app
}

const ours = appWith(createRouter())
const oracle = appWith(new OpenAPIHono<AppEnv>({ defaultHook: validationHook }))

const value = fc.oneof(
  fc.constantFrom('今天', '火锅 今晚', 'coffee', 'in:g1 after:2025-02-01', '', '  ', 'newest', 'relevance'),
  fc.constantFrom(
    '20',
    '0',
    '101',
    '-1',
    'abc',
    '2025-02-01',
    'Asia/Shanghai',
    'Mars/Olympus',
    'conversation,day',
  ),
  fc.constantFrom('%E4%BB%8A%E5%A4%A9', '%ZZ', '+', 'a+b', '%2B'),
  fc.string({ maxLength: 20 }),
)
const name = fc.constantFrom(
  'q',
  'conversationId',
  'senderId',
  'type',
  'after',
  'before',
  'tz',
  'sort',
  'facets',
  'limit',
  'cursor',
  'other',
  '__proto__',
)
/** A query string, raw: names may repeat, values may be percent-encoded or not. */
const queryString = fc
  .array(fc.tuple(name, value), { maxLength: 6 })
  .map((pairs) => pairs.map(([k, v]) => `${k}=${/%/.test(v) ? v : encodeURIComponent(v)}`).join('&'))
const conversationId = fc.constantFrom('c1', 'group-7', '群', 'way-too-long-id', '%20')

async function answer(app: OpenAPIHono<AppEnv>, path: string) {
  const res = await app.request(path)
  return { status: res.status, contentType: res.headers.get('content-type'), body: await res.text() }
}

describe('the query and path checks of a createRouter route', () => {
  it('answer what zod-openapi’s own validators answer, for any query and path', async () => {
    await fc.assert(
      fc.asyncProperty(conversationId, queryString, async (id, query) => {
        const path = `/v1/search/${id}?${query}`
        expect(await answer(ours, path)).toEqual(await answer(oracle, path))
      }),
      { numRuns: 400 },
    )
  })

  it('hand the handler the parsed values, and refuse a bad limit with a 400 naming it', async () => {
    const ok = await answer(ours, `/v1/search/c1?q=${encodeURIComponent('上海 coffee')}&limit=5`)
    expect(ok.status).toBe(200)
    expect(JSON.parse(ok.body)).toMatchObject({
      query: { q: '上海 coffee', limit: 5 },
      params: { conversationId: 'c1' },
    })
    const refused = await answer(ours, '/v1/search/c1?q=上海&limit=many')
    expect(refused.status).toBe(400)
    expect(refused.contentType).toBe('application/problem+json')
    expect(JSON.parse(refused.body).errors.map((e: { path: string }) => e.path)).toEqual(['query.limit'])
  })

  it('fall back to the asynchronous parse for a schema with an async refinement', async () => {
    const known = new Set(['u1', '张伟'])
    const route = createRoute({
      method: 'get',
      path: '/who',
      request: {
        query: z.object({ userId: z.string().refine(async (id) => known.has(id), 'unknown user') }),
      },
      responses: { 200: { description: 'echo' } },
    })
    const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook })
    app.route(
      '/',
      createRouter().openapi(route, (c) => c.json(c.req.valid('query'), 200)),
    )
    app.onError(createErrorHandler())
    expect(await (await app.request(`/who?userId=${encodeURIComponent('张伟')}`)).json()).toEqual({
      userId: '张伟',
    })
    const refused = await app.request('/who?userId=nobody')
    expect(refused.status).toBe(400)
    expect(JSON.stringify(await refused.json())).toContain('unknown user')
  })
})
