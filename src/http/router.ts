/** @module Routers for resource modules: an `OpenAPIHono` whose validation failures are 400 problems. */
import { OpenAPIHono } from '@hono/zod-openapi'
import type { ZodError } from 'zod'
import type { AppEnv } from './context.ts'
import { problemFromZod } from './problem.ts'

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
 * (a router's hook is fixed when its routes are declared, so sub-routers need it too).
 *
 * @example
 * export const usersRouter = createRouter().openapi(getUserRoute, getUserHandler)
 */
export function createRouter(): OpenAPIHono<AppEnv> {
  return new OpenAPIHono<AppEnv>({ defaultHook: validationHook })
}
