/** @module Test support for the HTTP layer: an app with a tiny sample router, tokens, captured logs. */
import { Writable } from 'node:stream'
import { createRoute, z } from '@hono/zod-openapi'
import { type Config, loadConfig } from '../../src/config.ts'
import { IdSchema } from '../../src/domain/ids.ts'
import { type AppDeps, createApp } from '../../src/http/app.ts'
import { authorized, createAuthVerifier } from '../../src/http/auth.ts'
import type { Scope } from '../../src/http/context.ts'
import { signToken } from '../../src/http/dev-tokens.ts'
import { ProblemError, problemResponses } from '../../src/http/problem.ts'
import { type AppRouteHandler, createRouter, jsonBody } from '../../src/http/router.ts'
import { createLogger } from '../../src/logger.ts'

export const SECRET = 'test-secret-0123456789-abcdefghijklmnop'

/** Log lines written during a test, parsed. */
export function captureLogs() {
  const lines: Record<string, unknown>[] = []
  const raw: string[] = []
  const destination = new Writable({
    write(chunk, _encoding, callback) {
      for (const line of String(chunk).split('\n').filter(Boolean)) {
        raw.push(line)
        lines.push(JSON.parse(line) as Record<string, unknown>)
      }
      callback()
    },
  })
  return { logger: createLogger({ level: 'debug', destination }), lines, raw }
}

const ItemSchema = z
  .object({
    name: z.string().min(1).max(50),
    tags: z.array(z.string().max(10)).max(3).optional(),
    count: z.number().int().optional(),
  })
  .openapi('SampleItem')

const putItem = createRoute({
  method: 'put',
  path: '/items/{itemId}',
  ...authorized('ingest'),
  request: {
    params: z.object({ itemId: IdSchema }),
    body: jsonBody(ItemSchema),
  },
  responses: {
    200: {
      description: 'Stored',
      content: {
        'application/json': { schema: z.object({ itemId: z.string(), by: z.string(), name: z.string() }) },
      },
    },
    ...problemResponses(400, 401, 403, 413, 415),
  },
})

const getItem = createRoute({
  method: 'get',
  path: '/items/{itemId}',
  ...authorized('search'),
  request: {
    params: z.object({ itemId: IdSchema }),
    query: z.object({ limit: z.coerce.number().int().min(1).max(100).default(20) }),
  },
  responses: {
    200: {
      description: 'Found',
      content: { 'application/json': { schema: z.object({ itemId: z.string(), limit: z.number() }) } },
    },
    ...problemResponses(400, 401, 403, 404),
  },
})

/** A handler in its own constant, as a `*.handlers.ts` file would declare it. */
const getItemHandler: AppRouteHandler<typeof getItem> = (c) => {
  const { itemId } = c.req.valid('param')
  if (itemId === 'missing') throw new ProblemError(404, { detail: `no item ${itemId}` })
  // The caller is typed here too; the sample echoes the limit only.
  void c.var.caller.userId
  return c.json({ itemId, limit: c.req.valid('query').limit }, 200)
}

/** A sample resource router, as a route module would write one. */
export function sampleRouter() {
  const router = createRouter()
    .openapi(putItem, (c) => {
      const { itemId } = c.req.valid('param')
      // c.var.caller is typed through authorized()'s middleware.
      return c.json({ itemId, by: c.var.caller.userId, name: c.req.valid('json').name }, 200)
    })
    .openapi(getItem, getItemHandler)
  router.get('/boom', () => {
    throw new Error('internal detail that must not leak')
  })
  return router
}

export function testConfig(env: Record<string, string> = {}): Config {
  return loadConfig({ IMSEARCH_JWT_SECRET: SECRET, ...env })
}

/** An app over the sample router, with captured logs. */
export function testApp(overrides: Partial<AppDeps> = {}) {
  const logs = captureLogs()
  const config = testConfig()
  const app = createApp({
    config,
    logger: logs.logger,
    verifier: createAuthVerifier(config.auth),
    routes: [sampleRouter()],
    ...overrides,
  })
  return { app, logs }
}

export function token(sub = 'u1', scopes: Scope[] = ['search', 'ingest'], expiresIn = '1h') {
  return signToken({ secret: SECRET, sub, scopes, expiresIn })
}

export async function authHeader(sub = 'u1', scopes: Scope[] = ['search', 'ingest']) {
  return { authorization: `Bearer ${await token(sub, scopes)}` }
}

/** Asserts the RFC 9457 shape and returns the body. */
export async function problemOf(res: Response) {
  const body = (await res.json()) as {
    type: string
    title: string
    status: number
    detail: string
    errors?: { path: string; message: string }[]
    instance?: string
  }
  return { contentType: res.headers.get('content-type'), body }
}
