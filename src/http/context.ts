/** @module The Hono environment shared by the app and every route module: what `c.var` holds. */
import type { Logger } from '../logger.ts'

/** Token scopes. Each is independent: `admin` does not imply `search` or `ingest`. */
export const SCOPES = ['search', 'ingest', 'admin'] as const
export type Scope = (typeof SCOPES)[number]

/** The authenticated caller, from the token: `sub` and the known words of `scope`. */
export interface Caller {
  userId: string
  scopes: ReadonlySet<Scope>
}

/** Verifies bearer tokens; see `createAuthVerifier`. */
export interface AuthVerifier {
  /** Resolves the caller, or throws a `ProblemError` (401; 503 when the key set cannot be fetched). */
  verify(token: string): Promise<Caller>
  /**
   * The caller of a token already verified and still valid, else `undefined`: what `verify` would
   * resolve to without waiting for it, so a guard can admit a known token in the same turn.
   */
  known(token: string): Caller | undefined
}

/** Takes one request from a caller's allowance; see `createRateLimiter`. */
export interface RateLimiter {
  /** `0` when allowed, else the seconds to wait before the next request will be. */
  take(key: string): number
}

/** What `requireScope` needs; `createApp` puts it in every request's context. */
export interface AuthContext {
  verifier: AuthVerifier
  rateLimiter: RateLimiter | undefined
}

/**
 * Variables every request has once it passes `createApp`'s middleware. Read them with `c.get(...)`
 * on hot paths: `c.var` builds a new object of every variable at each access.
 */
export interface AppVariables {
  /** From `x-request-id` when it is safe to echo, else a fresh UUID; also sent back. */
  requestId: string
  /**
   * The request's logger, a child bound to the request id, made on the first call: most requests
   * log nothing but their access line, and making a child runs pino's redaction over its bindings
   * (4% of a search request that did not need it).
   */
  requestLogger: () => Logger
  auth: AuthContext
}

/** The environment of the app and of routers from `createRouter()`. */
export interface AppEnv {
  Variables: AppVariables
}

/**
 * The environment behind `requireScope(...)`: `c.var.caller` is set. A route gets it automatically
 * when the middleware is listed in `createRoute({ middleware })`; handlers written in a separate
 * file can be typed `RouteHandler<typeof route, AuthEnv>`.
 */
export interface AuthEnv {
  Variables: AppVariables & { caller: Caller }
}
