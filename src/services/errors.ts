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

export const invalidInput = (message: string, issues: FieldIssue[] = []) =>
  new ServiceError(400, 'invalid-input', message, issues)
export const forbidden = (message: string) => new ServiceError(403, 'forbidden', message)
export const notFound = (message: string) => new ServiceError(404, 'not-found', message)
export const conflict = (message: string) => new ServiceError(409, 'conflict', message)
export const unavailable = (message: string, cause?: unknown) =>
  new ServiceError(503, 'backend-unavailable', message, [], { cause })
