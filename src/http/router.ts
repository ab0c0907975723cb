/** @module Routers for resource modules: an `OpenAPIHono` whose validation failures are 400 problems. */
import { OpenAPIHono, type RouteConfig, type RouteHandler } from '@hono/zod-openapi'
import type { ZodError, ZodType } from 'zod'
import type { AppEnv, AuthEnv } from './context.ts'
import { problemFromZod } from './problem.ts'
import { validateQueryAndParams } from './request-validator.ts'

/**
 * zod-openapi's `defaultHook`: a failed request check throws a 400 problem listing each field as
 * `body.x`, `query.y`, `params.z`. Throwing (rather than answering here) sends it through the
 * app's one `onError`, so it is logged and shaped like every other error.
 */
export function validationHook(
  result: { target: string } & ({ success: true } | { success: false; error: ZodError }),
): void {
  if (!result.success) throw problemFromZod(result.error, result.target)
}

/** The router type route modules build and `createApp({ routes })` mounts. */
// biome-ignore lint/suspicious/noExplicitAny: a router's schema type is whatever its routes made it.
export type AppRouter = OpenAPIHono<AppEnv, any, any>

/**
 * Creates a router for one resource, with the app's `Variables` typing and the validation hook
 * (a router's hook is fixed when its routes are declared, so sub-routers need it too). Its routes'
 * query and path checks run in one synchronous middleware after the route's own (`request-validator.ts`),
 * where zod-openapi would have run them; the OpenAPI document still describes them.
 *
 * @example
 * export const usersRouter = createRouter().openapi(getUserRoute, getUserHandler)
 */
export function createRouter(): OpenAPIHono<AppEnv> {
  const router = new OpenAPIHono<AppEnv>({ defaultHook: validationHook })
  const register = router.openapi
  router.openapi = ((route, handler, hook) => {
    const validate = validateQueryAndParams(route.request)
    // A route's own hook is zod-openapi's to call: such a route keeps zod-openapi's checks.
    if (validate === undefined || hook !== undefined) return register(route, handler, hook)
    const { query: _query, params: _params, ...rest } = route.request ?? {}
    const { middleware, hide, ...documented } = route
    if (!hide) router.openAPIRegistry.registerPath(documented)
    const own = middleware === undefined ? [] : Array.isArray(middleware) ? middleware : [middleware]
    return register({ ...route, hide: true, request: rest, middleware: [...own, validate] }, handler)
  }) as typeof register
  return router
}

/**
 * The type of a handler written apart from its route (the starter's `*.handlers.ts`), for routes
 * guarded by `authorized(...)`: `c.var.caller` is typed.
 *
 * @example
 * export const getUser: AppRouteHandler<typeof getUserRoute> = async (c) => { const me = c.var.caller.userId; ... }
 */
export type AppRouteHandler<R extends RouteConfig> = RouteHandler<R, AuthEnv>

/**
 * A required JSON request body. `required: true` matters: without it zod-openapi skips validation
 * when the body is absent and hands the handler `{}`.
 *
 * @example
 * request: { body: jsonBody(UserInputSchema) }
 */
export function jsonBody<const T extends ZodType>(schema: T, description?: string) {
  return {
    content: { 'application/json': { schema } },
    required: true as const,
    ...(description === undefined ? {} : { description }),
  }
}
