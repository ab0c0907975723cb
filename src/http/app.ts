/** @module The HTTP app factory: middleware, operations endpoints, docs, and the resource routers. */
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi'
import { Scalar } from '@scalar/hono-api-reference'
import type { Context, MiddlewareHandler } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import { methodNotAllowed } from 'hono/method-not-allowed'
import { matchedRoutes } from 'hono/route'
import { type Config, RATE_LIMIT_WINDOW_MS } from '../config.ts'
import type { Logger } from '../logger.ts'
import { BEARER_SCHEME } from './auth.ts'
import type { AppEnv, AuthVerifier, RateLimiter } from './context.ts'
import { createErrorHandler, type ErrorMapper, notFoundHandler, sendProblem } from './error-handler.ts'
import { createMetrics, type Metrics } from './metrics.ts'
import { ProblemError, problemResponses } from './problem.ts'
import { createRateLimiter } from './rate-limit.ts'
import { requestContext } from './request-context.ts'
import { type AppRouter, createRouter, validationHook } from './router.ts'
import { requireWellFormedBodies } from './well-formed-body.ts'

/** The largest request body accepted, per the issue: 1 MiB. */
export const MAX_BODY_BYTES = 1024 * 1024
/** The prefix every resource router is mounted under. */
export const API_PREFIX = '/v1'
/** A readiness check slower than this counts as "not ready", so probes never hang. */
const READINESS_TIMEOUT_MS = 2000

/** What {@link createApp} needs; everything the app talks to is passed in, nothing is imported. */
export interface AppDeps {
  /** Only `rateLimitPerMinute` is read: `undefined` turns the limit off. */
  config: Pick<Config, 'rateLimitPerMinute'>
  logger: Logger
  /** From `createAuthVerifier(config.auth)`, or a test double. */
  verifier: AuthVerifier
  /**
   * Resource routers from `createRouter()`, each mounted under `/v1`, in order. Their routes appear
   * in `/openapi.json` and their validation failures are 400 problems.
   * @default []
   */
  routes?: readonly AppRouter[]
  /**
   * `true` once fixtures are loaded and the backend answers; `GET /readyz` calls it per probe.
   * Throwing or taking over 2 s counts as not ready.
   * @default () => true
   */
  readiness?: () => boolean | Promise<boolean>
  /** Pass one to register gauges (index sizes) before serving. @default createMetrics() */
  metrics?: Metrics
  /** Maps errors the HTTP layer cannot know (an adapter's "backend down" → 503). */
  mapError?: ErrorMapper
  /** For tests: replaces the limiter built from `config.rateLimitPerMinute`. */
  rateLimiter?: RateLimiter
  /** `info` of the OpenAPI document. */
  info?: { title?: string; version?: string; description?: string }
}

const isJsonMediaType = (contentType: string) =>
  /^application\/(?:[\w.-]+\+)?json\s*(?:;|$)/i.test(contentType)

/** Whether the request carries a non-empty body; bounded by the body limit that runs first. */
async function hasBody(request: Request): Promise<boolean> {
  if (!request.body) return false
  const length = request.headers.get('content-length')
  if (length !== null) return length.trim() !== '0'
  return (await request.clone().arrayBuffer()).byteLength > 0
}

/**
 * The checks of a request's body, in this order: 413 past {@link MAX_BODY_BYTES}; 415 for a body
 * that is not JSON (on requests that matched a route, so unknown paths stay 404 and wrong methods
 * 405); 400 for one that is not well-formed Unicode (`well-formed-body.ts`). A GET or HEAD request
 * never has a body here (`@hono/node-server` gives them none, whatever was sent, and a fetch
 * `Request` cannot hold one), so it goes straight on, without an async frame: asking
 * `c.req.raw.body` builds node-server's full `Request`, 6% of a search's CPU. One middleware
 * rather than three, for the same reason: each is a frame of Hono's chain on every request.
 */
function checkBodies(): MiddlewareHandler<AppEnv> {
  const limit = bodyLimit({
    maxSize: MAX_BODY_BYTES,
    onError: () => {
      throw new ProblemError(413, { detail: `request bodies are limited to ${MAX_BODY_BYTES} bytes` })
    },
  })
  const wellFormed = requireWellFormedBodies()
  return function checkBodiesMiddleware(c, next) {
    const method = c.req.method
    if (method === 'GET' || method === 'HEAD') return next()
    return limit(c, () => requireJsonBody(c, () => wellFormed(c, next)))
  }
}

async function requireJsonBody(c: Context<AppEnv>, next: () => Promise<unknown>): Promise<void> {
  if (matchedRoutes(c).some((r) => r.method !== 'ALL')) {
    const contentType = c.req.header('content-type')
    const refused = contentType === undefined ? await hasBody(c.req.raw) : !isJsonMediaType(contentType)
    if (refused) {
      throw new ProblemError(415, {
        detail: `request bodies must be application/json, not ${contentType ?? 'untyped'}`,
        headers: { 'accept-post': 'application/json' },
      })
    }
  }
  await next()
}

const StatusSchema = z.object({ status: z.string().openapi({ example: 'ok' }) }).openapi('Status')

const healthzRoute = createRoute({
  method: 'get',
  path: '/healthz',
  tags: ['operations'],
  summary: 'Liveness: the process is up',
  security: [],
  responses: { 200: { description: 'Alive', content: { 'application/json': { schema: StatusSchema } } } },
})

const readyzRoute = createRoute({
  method: 'get',
  path: '/readyz',
  tags: ['operations'],
  summary: 'Readiness: fixtures loaded and the backend answers',
  security: [],
  responses: {
    200: { description: 'Ready', content: { 'application/json': { schema: StatusSchema } } },
    ...problemResponses(503),
  },
})

async function checkReadiness(readiness: () => boolean | Promise<boolean>): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), READINESS_TIMEOUT_MS)
  })
  try {
    return await Promise.race([Promise.resolve().then(readiness), timeout])
  } catch {
    return false
  } finally {
    clearTimeout(timer)
  }
}

/** `/healthz` and `/readyz`, in a router of their own so that their types reach the typed client. */
function operationsRoutes(readiness: () => boolean | Promise<boolean>) {
  return createRouter()
    .openapi(healthzRoute, (c) => c.json({ status: 'ok' }, 200))
    .openapi(readyzRoute, async (c) => {
      if (await checkReadiness(readiness)) return c.json({ status: 'ready' }, 200)
      throw new ProblemError(503, {
        slug: 'not-ready',
        detail: 'still loading, or the backend does not answer',
      })
    })
}

/** The operations router's type, for `src/client`. */
export type OperationsRouter = ReturnType<typeof operationsRoutes>

/**
 * Builds the app: request id, metrics and request log → 405 detection → body limit (413), JSON-only
 * bodies (415) and well-formed Unicode bodies (400), then `/healthz`, `/readyz`, `/metrics`, `/openapi.json`, `/docs`, and each router
 * in `deps.routes` under `/v1`. Errors from anywhere leave through one `onError` as problem JSON.
 *
 * @example
 * const app = createApp({ config, logger, verifier, routes: [usersRouter, searchRouter], readiness })
 */
export function createApp(deps: AppDeps): OpenAPIHono<AppEnv> {
  const metrics = deps.metrics ?? createMetrics()
  const readiness = deps.readiness ?? (() => true)
  const limit = deps.config.rateLimitPerMinute
  const rateLimiter =
    deps.rateLimiter ??
    (limit === undefined ? undefined : createRateLimiter({ limit, windowMs: RATE_LIMIT_WINDOW_MS }))

  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook })

  app.use(requestContext(deps.logger, { verifier: deps.verifier, rateLimiter }, metrics))
  app.use(
    methodNotAllowed({
      app,
      onMethodNotAllowed: (c, methods) =>
        sendProblem(
          c,
          new ProblemError(405, {
            detail: `${c.req.method} is not allowed here; use ${methods.join(', ')}`,
            headers: { allow: methods.join(', ') },
          }),
        ),
    }),
  )
  app.use(checkBodies())

  app.route('/', operationsRoutes(readiness))
  app.get('/metrics', async (c) => {
    const { contentType, body } = await metrics.render()
    return c.body(body, 200, { 'content-type': contentType })
  })

  for (const router of deps.routes ?? []) app.route(API_PREFIX, router)

  app.openAPIRegistry.registerComponent('securitySchemes', BEARER_SCHEME, {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
    description:
      'A JWT: `sub` is the caller, `scope` a space-separated subset of `search ingest admin`. ' +
      'HS256 with the server secret, or RS256/ES256 from the configured JWKS.',
  })
  app.doc31('/openapi.json', {
    openapi: '3.1.0',
    info: {
      title: deps.info?.title ?? 'im-search',
      version: deps.info?.version ?? '0.1.0',
      description:
        deps.info?.description ??
        'Permission-aware search for an instant-messaging backend. Errors are RFC 9457 problem documents.',
    },
    security: [{ [BEARER_SCHEME]: [] }],
  })
  // The page loads Scalar's script from a CDN in the reader's browser; the server downloads nothing.
  app.get('/docs', Scalar({ url: '/openapi.json', pageTitle: 'im-search API' }))

  app.onError(createErrorHandler(deps.mapError))
  app.notFound(notFoundHandler)
  return app
}
