/**
 * @module A route's query and path checks, in one synchronous middleware. zod-openapi checks each
 * target in a middleware of its own built on hono's generic validator: per target an async frame,
 * a `content-type` lookup, an awaited parse and an awaited hook, on every request. Ours parses
 * the same values with the same schemas, synchronously (no query or path schema of ours refines
 * asynchronously; one that does still gets zod's asynchronous parse), and refuses with the same
 * 400 problem, so the answers are the same; body checks stay zod-openapi's.
 */
import type { Context, MiddlewareHandler } from 'hono'
import { core, type ZodType } from 'zod'
import { problemFromZod } from './problem.ts'

/** The request schemas this module checks: the ones read on every call and holding no body. */
export interface QueryAndParams {
  query?: ZodType
  params?: ZodType
}

type Target = 'query' | 'param'

/** What hono's validator hands a `query` schema: each name's value, several values as an array. */
function queryValues(c: Context): Record<string, string | string[] | undefined> {
  return Object.fromEntries(
    Object.entries(c.req.queries()).map(([key, values]) => [key, values.length === 1 ? values[0] : values]),
  )
}

/** The parsed value, or the 400 problem zod-openapi's `validationHook` throws. */
function checked(
  result: { success: true; data: unknown } | { success: false; error: core.$ZodError },
  target: Target,
) {
  if (!result.success) throw problemFromZod(result.error as Parameters<typeof problemFromZod>[0], target)
  // An object schema's output: what `c.req.valid(...)` reads back.
  return result.data as object
}

/**
 * The middleware checking `request.query` then `request.params` (zod-openapi's order), handing the
 * results to `c.req.valid(...)`; `undefined` when the route has neither.
 */
export function validateQueryAndParams(request: QueryAndParams | undefined): MiddlewareHandler | undefined {
  const query = request?.query
  const params = request?.params
  if (query === undefined && params === undefined) return undefined
  async function asynchronously(c: Context, next: () => Promise<void>) {
    if (query) c.req.addValidatedData('query', checked(await query.safeParseAsync(queryValues(c)), 'query'))
    if (params) c.req.addValidatedData('param', checked(await params.safeParseAsync(c.req.param()), 'param'))
    await next()
  }
  return function validateQueryAndParamsMiddleware(c, next) {
    try {
      if (query) c.req.addValidatedData('query', checked(query.safeParse(queryValues(c)), 'query'))
      if (params) c.req.addValidatedData('param', checked(params.safeParse(c.req.param()), 'param'))
    } catch (error) {
      if (error instanceof core.$ZodAsyncError) return asynchronously(c, next)
      throw error
    }
    return next()
  }
}
