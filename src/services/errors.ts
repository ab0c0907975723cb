/**
 * @module Errors the services raise. Each carries the HTTP status and problem type it maps to,
 * so the HTTP layer formats them without knowing each case (Hono's `HTTPException` idea).
 */

export interface FieldIssue {
  path: string
  message: string
}

export class ServiceError extends Error {
  override readonly name: string = 'ServiceError'
  constructor(
    readonly status: 400 | 403 | 404 | 409 | 503,
    /** A short slug for the problem type: `invalid-input`, `not-found`, ... */
    readonly problem: string,
    message: string,
    readonly issues: FieldIssue[] = [],
    options?: { cause?: unknown },
  ) {
    super(message, options)
  }
}

/**
 * A {@link ServiceError} as data: how a result that holds a refusal (a batch item's) carries it, so
 * that it crosses threads (structured clone keeps no error's class or fields) and reads the same.
 */
export interface Refusal {
  status: ServiceError['status']
  problem: string
  message: string
  issues: FieldIssue[]
}

export const refusalOf = (error: ServiceError): Refusal => ({
  status: error.status,
  problem: error.problem,
  message: error.message,
  issues: error.issues,
})

/** The error a {@link Refusal} describes, to map or throw as any other. */
export const errorOfRefusal = (refusal: Refusal): ServiceError =>
  new ServiceError(refusal.status, refusal.problem, refusal.message, refusal.issues)

export const invalidInput = (message: string, issues: FieldIssue[] = []) =>
  new ServiceError(400, 'invalid-input', message, issues)
export const forbidden = (message: string) => new ServiceError(403, 'forbidden', message)
export const notFound = (message: string) => new ServiceError(404, 'not-found', message)
export const conflict = (message: string) => new ServiceError(409, 'conflict', message)
export const unavailable = (message: string, cause?: unknown) =>
  new ServiceError(503, 'backend-unavailable', message, [], { cause })
