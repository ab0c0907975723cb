/** @module The one place an error becomes a response: `onError`, `notFound`, and the problem mapping. */
import type { Context, ErrorHandler, NotFoundHandler } from 'hono'
import { HTTPException } from 'hono/http-exception'
import { ZodError } from 'zod'
import { StorageFullError } from '../ports/record-store.ts'
import { BackendUnavailableError, InvalidPageTokenError, QueryRefusedError } from '../ports/search-backend.ts'
import { ServiceError } from '../services/errors.ts'
import type { AppEnv } from './context.ts'
import { PROBLEM_CONTENT_TYPE, ProblemError, problemFromZod } from './problem.ts'

/**
 * Maps an error the HTTP layer does not know (an adapter's "backend down", say) to a problem, or
 * returns `undefined` to let the default mapping decide. `main` passes one because `src/http`
 * must not import adapters.
 */
export type ErrorMapper = (error: unknown) => ProblemError | undefined

/** Known error kinds, by type, to problems; anything else is a 500 whose detail reveals nothing. */
export function toProblemError(error: unknown, mapError?: ErrorMapper): ProblemError {
  if (error instanceof ProblemError) return error
  if (error instanceof ServiceError) {
    return new ProblemError(error.status, {
      slug: error.problem,
      detail: error.message,
      ...(error.issues.length > 0 ? { errors: error.issues } : {}),
      // A backend that is down now may answer in a moment: say when a retry makes sense.
      ...(error.status === 503 ? { headers: { 'retry-after': '1' } } : {}),
      cause: error.cause,
    })
  }
  const mapped = mapError?.(error)
  if (mapped) return mapped
  if (error instanceof HTTPException) {
    // Hono's own: the JSON validator's "Malformed JSON in request body", the body limit, ...
    return new ProblemError(error.status, { detail: error.message || undefined, cause: error })
  }
  if (error instanceof ZodError) return problemFromZod(error)
  if (error instanceof InvalidPageTokenError) {
    return ProblemError.invalid([{ path: 'query.cursor', message: 'not a cursor this server issued' }])
  }
  if (error instanceof QueryRefusedError) {
    // Valid in the DSL but beyond what this backend runs or stores exactly: the client's to change.
    return new ProblemError(400, { slug: 'backend-limit', detail: error.message, cause: error })
  }
  if (error instanceof StorageFullError) {
    // Not 503 with Retry-After: a full disk stays full until someone frees space.
    return new ProblemError(507, {
      detail:
        'the data directory is full, so this write was not stored; what was acknowledged before is ' +
        'intact and reads go on; resubmit once space is freed (a message id is never stored twice)',
      cause: error,
    })
  }
  if (error instanceof BackendUnavailableError || isConnectionError(error)) {
    return new ProblemError(503, {
      slug: 'backend-unavailable',
      detail: 'the search backend is unavailable; retry later',
      headers: { 'retry-after': '1' },
      cause: error,
    })
  }
  if (error instanceof SyntaxError) {
    // Only client input is parsed as JSON (bodies, cursors), so a parse failure is the client's.
    return new ProblemError(400, { slug: 'malformed-input', detail: 'malformed input', cause: error })
  }
  return new ProblemError(500, { detail: 'an unexpected error occurred; see the server log', cause: error })
}

/** Socket-level failures: whatever backend raised them, it is unreachable right now. */
const CONNECTION_ERRORS = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
])

function isConnectionError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code
  return typeof code === 'string' && CONNECTION_ERRORS.has(code)
}

/** Answers with the problem through the context, so headers set earlier (`x-request-id`) survive. */
export function sendProblem(c: Context, problem: ProblemError): Response {
  const requestId = c.get('requestId') as string | undefined
  return c.body(JSON.stringify(problem.toDocument(requestId)), problem.status as 400, {
    ...problem.headers,
    'content-type': PROBLEM_CONTENT_TYPE,
  })
}

/**
 * Whether the client hung up while its request body was being read: Node fails the read with
 * "aborted" (ECONNRESET) and the request's signal is aborted. Not a backend failure: it used to
 * be logged as an error and counted as a 503 "backend unavailable" (issue #8).
 */
function clientClosed(error: unknown, c: Context): boolean {
  return c.req.raw.signal.aborted && (error as { code?: unknown } | null)?.code === 'ECONNRESET'
}

/** nginx's "client closed request": nobody reads it, but logs and metrics tell it apart. */
const CLIENT_CLOSED = 499

/** `app.onError`: every thrown error, validation and auth included, leaves as problem JSON. */
export function createErrorHandler(mapError?: ErrorMapper): ErrorHandler<AppEnv> {
  return (error, c) => {
    const problem = clientClosed(error, c)
      ? new ProblemError(CLIENT_CLOSED, {
          slug: 'client-closed-request',
          title: 'Client closed request',
          detail: 'the client closed the connection before its request was read',
          cause: error,
        })
      : toProblemError(error, mapError)
    const log = c.get('requestLogger')?.()
    if (problem.status >= 500) log?.error({ err: error, status: problem.status }, 'request failed')
    else log?.debug({ status: problem.status, detail: problem.detail }, 'request refused')
    return sendProblem(c, problem)
  }
}

/** `app.notFound`; the method-not-allowed middleware turns it into a 405 when another method matches. */
export const notFoundHandler: NotFoundHandler<AppEnv> = (c) =>
  sendProblem(c, new ProblemError(404, { detail: `no route for ${c.req.method} ${c.req.path}` }))
