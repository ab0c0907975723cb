/**
 * @module The typed client, `im-search/client`: Hono's `hc` over the service's own route types, so
 * a call's path, parameters, body and each status's answer are checked by the compiler. It imports
 * only `hono/client` at run time; the types come from the routes themselves, so a route whose
 * schema changes breaks the callers' build rather than their requests.
 *
 * @example
 * const api = createClient('http://127.0.0.1:8080/', { token: process.env.TOKEN })
 * const res = await api.v1.search.messages.$get({ query: { q: '上海' } })
 * if (res.status === 200) for (const hit of (await res.json()).hits) console.log(hit.highlight)
 */
import type { Hono } from 'hono'
import { type ClientRequestOptions, hc } from 'hono/client'
import type { MergeSchemaPath, Schema } from 'hono/types'
import type { OperationsRouter } from '../http/app.ts'
import type { AppEnv } from '../http/context.ts'
import type { resourceRoutes } from '../http/routes/index.ts'

export type { InferRequestType, InferResponseType } from 'hono/client'

/** Each resource router's routes under `/v1`, one tuple element after another. */
type ResourceSchema<Routers> = Routers extends readonly [infer First, ...infer Rest]
  ? (First extends Hono<AppEnv, infer S extends Schema, '/'> ? MergeSchemaPath<S, '/v1'> : never) &
      ResourceSchema<Rest>
  : unknown
type OperationsSchema = OperationsRouter extends Hono<AppEnv, infer S, '/'> ? S : never

/** The whole API as one Hono type: `/healthz`, `/readyz` and every route under `/v1`. */
export type ImSearchApi = Hono<
  AppEnv,
  ResourceSchema<ReturnType<typeof resourceRoutes>> & OperationsSchema,
  '/'
>

/** The client {@link createClient} returns. */
export type ImSearchClient = ReturnType<typeof hc<ImSearchApi>>

/** Options for {@link createClient}: Hono's client options and the caller's token. */
export interface ClientOptions extends ClientRequestOptions {
  /** A JWT sent as `Authorization: Bearer <token>` with every request. */
  token?: string
}

/** A typed client for the service at `baseUrl` (`http://host:port/`). */
export function createClient(baseUrl: string, options: ClientOptions = {}): ImSearchClient {
  const { token, ...rest } = options
  if (token === undefined) return hc<ImSearchApi>(baseUrl, rest)
  const { headers } = rest
  return hc<ImSearchApi>(baseUrl, {
    ...rest,
    headers: async () => ({
      ...(typeof headers === 'function' ? await headers() : headers),
      authorization: `Bearer ${token}`,
    }),
  })
}
