/**
 * A service failure that crosses to the HTTP thread (`src/front/problem-transport.ts`) becomes the
 * same problem the HTTP layer makes of it in one thread: status, document and headers, after a
 * structured clone; a server error keeps its stack as the cause, a client's carries none.
 */
import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { failureOf, problemOf } from '../../src/front/problem-transport.ts'
import { toProblemError } from '../../src/http/index.ts'
import { StorageFullError } from '../../src/ports/record-store.ts'
import {
  BackendUnavailableError,
  InvalidPageTokenError,
  QueryRefusedError,
} from '../../src/ports/search-backend.ts'
import { conflict, invalidInput, notFound, unavailable } from '../../src/services/errors.ts'

const zodError = z.object({ limit: z.number().max(5) }).safeParse({ limit: 9 }).error

const FAILURES: [string, unknown][] = [
  ['invalid input with issues', invalidInput('bad cursor', [{ path: 'cursor', message: 'invalid cursor' }])],
  ['not found', notFound('no group g9')],
  ['conflict', conflict('a rebuild is running')],
  ['a service that is unavailable', unavailable('the store is closing')],
  ['an invalid page token', new InvalidPageTokenError('token')],
  ['a refused query', new QueryRefusedError('too many terms')],
  ['a full disk', new StorageFullError('ENOSPC')],
  ['a backend that is down', new BackendUnavailableError('down')],
  ['a lost connection', Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })],
  ['invalid data', zodError],
  ['a bug', new TypeError("Cannot read properties of undefined (reading 'x')")],
  ['a thrown string', 'just a string'],
]

describe('a failure crossing threads', () => {
  it.each(FAILURES)('is the same problem on the other side: %s', (_name, error) => {
    const expected = toProblemError(error)
    const problem = problemOf(structuredClone(failureOf(error)))
    expect(problem.status).toBe(expected.status)
    expect(problem.toDocument('req-1')).toEqual(expected.toDocument('req-1'))
    expect(problem.headers).toEqual(expected.headers)
    if (expected.status >= 500) {
      expect(problem.cause).toBeInstanceOf(Error)
      if (error instanceof Error) expect((problem.cause as Error).stack).toBe(error.stack)
    } else expect(problem.cause).toBeUndefined()
  })
})
