/**
 * @module Per-request context, in one middleware: the request id, the metrics, a bound child logger
 * (made when used), and one access-log line. One middleware rather than three: each layer of
 * Hono's chain is an async frame and a promise per request, on every request.
 */
import type { MiddlewareHandler } from 'hono'
import type { Logger } from '../logger.ts'
import type { AppEnv, AuthContext, AuthEnv } from './context.ts'
import type { Metrics } from './metrics.ts'

/** The header read and echoed; ids outside `[A-Za-z0-9_=-]{1,128}` are replaced, never logged raw. */
export const REQUEST_ID_HEADER = 'x-request-id'

/** A caller's id that is safe to echo and log: what hono's `requestId({ limitLength: 128 })` kept. */
const SAFE_REQUEST_ID = /^[\w\-=]{1,128}$/

/** The caller's `x-request-id` when safe to echo and log, else a fresh UUID. */
export function requestIdFrom(header: string | undefined): string {
  return header !== undefined && SAFE_REQUEST_ID.test(header) ? header : crypto.randomUUID()
}

/** What the access line reads: the caller, once `requireScope` has set it (unauthenticated routes have none). */
type RequestEnv = { Variables: AppEnv['Variables'] & Partial<Pick<AuthEnv['Variables'], 'caller'>> }

/**
 * Gives the request its id (sent back in `x-request-id`), offers a child logger bound to it, puts
 * the auth context where `requireScope` finds it, writes one access line once answered, and counts
 * and times the request in `metrics` (even when the error handler itself failed). The line has the
 * path but not the query string (search text is users' words) and never headers (the token).
 */
export function requestContext(
  logger: Logger,
  auth: AuthContext,
  metrics: Pick<Metrics, 'observe'>,
): MiddlewareHandler<RequestEnv> {
  // The access line's fields are ours and hold no credential, so it skips pino's redaction (its
  // wildcard paths were 7% of a search request's CPU under load); handlers' loggers keep it.
  const access = logger.child({}, { redact: [] })
  return async function requestContextMiddleware(c, next) {
    const start = performance.now()
    const reqId = requestIdFrom(c.req.header(REQUEST_ID_HEADER))
    c.set('requestId', reqId)
    c.header(REQUEST_ID_HEADER, reqId)
    let log: Logger | undefined
    c.set('requestLogger', () => {
      log ??= logger.child({ reqId })
      return log
    })
    c.set('auth', auth)
    try {
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
    } finally {
      metrics.observe(c, start)
    }
  }
}
