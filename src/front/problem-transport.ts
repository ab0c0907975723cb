/**
 * @module A service call's failure as it crosses from the service side to the HTTP thread. Error
 * classes do not survive cloning, so the service side makes the problem the HTTP layer would have
 * made (`toProblemError`: one mapping for both ways of serving), and the HTTP thread throws it
 * again. The original error's stack rides along as the problem's cause, for the 5xx log line.
 */
import { PROBLEM_BASE_URI, type ProblemDocument, ProblemError, toProblemError } from '../http/index.ts'

/** A `ProblemError` as data: its document (without a request id), its headers, a server error's cause. */
export interface ProblemFailure extends ProblemDocument {
  headers: Record<string, string>
  cause?: { name: string; message: string; stack?: string | undefined }
}

function causeOf(error: unknown): ProblemFailure['cause'] {
  const original = error instanceof ProblemError && error.cause !== undefined ? error.cause : error
  return original instanceof Error
    ? { name: original.name, message: original.message, stack: original.stack }
    : { name: 'Error', message: String(original) }
}

/** On the service side: the failure to send for `error`. */
export function failureOf(error: unknown): ProblemFailure {
  const problem = toProblemError(error)
  return {
    ...problem.toDocument(),
    headers: problem.headers,
    // Only a server error is logged with its cause; a client's error needs no stack.
    ...(problem.status >= 500 ? { cause: causeOf(error) } : {}),
  }
}

/** In the HTTP thread: the error to throw for a failure {@link failureOf} made. */
export function problemOf(failure: unknown): ProblemError {
  const f = failure as ProblemFailure
  const cause = f.cause && Object.assign(new Error(f.cause.message), f.cause)
  return new ProblemError(f.status, {
    slug: f.type.startsWith(PROBLEM_BASE_URI) ? f.type.slice(PROBLEM_BASE_URI.length) : undefined,
    title: f.title,
    detail: f.detail,
    ...(f.errors ? { errors: f.errors } : {}),
    headers: f.headers,
    ...(cause ? { cause } : {}),
  })
}
