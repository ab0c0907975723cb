/** @module Per-request context: the request id, a bound child logger (made when used), and one access-log line. */
import type { MiddlewareHandler } from 'hono'
import { requestId } from 'hono/request-id'
import type { Logger } from '../logger.ts'
import type { AppEnv, AuthContext, AuthEnv } from './context.ts'

/** The header read and echoed; ids outside `[A-Za-z0-9_=-]{1,128}` are replaced, never logged raw. */
export const REQUEST_ID_HEADER = 'x-request-id'

/** Accepts a caller's `x-request-id` when safe to echo and log, else makes a UUID. */
export function requestIdMiddleware(): MiddlewareHandler<AppEnv> {
  return requestId({ headerName: REQUEST_ID_HEADER, limitLength: 128 })
}

/** What the access line reads: the caller, once `requireScope` has set it (unauthenticated routes have none). */
type RequestEnv = { Variables: AppEnv['Variables'] & Partial<Pick<AuthEnv['Variables'], 'caller'>> }

/**
 * Offers a child logger bound to the request id, puts the auth context where `requireScope` finds it,
 * and writes one line per request. It logs the path but not the query string (search text is
 * users' words) and never headers (the token).
 */
export function requestContext(logger: Logger, auth: AuthContext): MiddlewareHandler<RequestEnv> {
  // The access line's fields are ours and hold no credential, so it skips pino's redaction (its
  // wildcard paths were 7% of a search request's CPU under load); handlers' loggers keep it.
  const access = logger.child({}, { redact: [] })
  return async function requestContextMiddleware(c, next) {
    const start = performance.now()
    // `c.get`, not `c.var`: hono builds a new object of every variable at each `c.var`.
    const reqId = c.get('requestId')
    let log: Logger | undefined
    c.set('requestLogger', () => {
      log ??= logger.child({ reqId })
      return log
    })
    c.set('auth', auth)
    await next()
    const status = c.res.status
    const caller = c.get('caller')
    const line = {
      reqId,
      method: c.req.method,
      path: c.req.path,
      status,
      ms: Math.round((performance.now() - start) * 10) / 10,
      ...(caller ? { userId: caller.userId } : {}),
    }
    if (status >= 500) access.error(line, 'request')
    else access.info(line, 'request')
  }
}
