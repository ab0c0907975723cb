/** @module RFC 9457 problem documents: the one shape every error response takes. */
import { z } from '@hono/zod-openapi'
import type { ZodError } from 'zod'

/**
 * Problem `type` URIs are `https://im-search.dev/problems/<slug>`, one slug per kind of failure,
 * never `about:blank`: clients switch on `type` rather than parse `title`, and a stable URI per kind
 * lets a 400 for a bad cursor be told apart from a 400 for a bad field later without a new status.
 * The URIs identify; they are not promised to resolve.
 */
export const PROBLEM_BASE_URI = 'https://im-search.dev/problems/'

/** Default slug and title per status; a {@link ProblemError} may override both. */
const DEFAULTS: Record<number, { slug: string; title: string }> = {
  400: { slug: 'invalid-request', title: 'Invalid request' },
  401: { slug: 'unauthorized', title: 'Unauthorized' },
  403: { slug: 'forbidden', title: 'Forbidden' },
  404: { slug: 'not-found', title: 'Not found' },
  405: { slug: 'method-not-allowed', title: 'Method not allowed' },
  409: { slug: 'conflict', title: 'Conflict' },
  413: { slug: 'payload-too-large', title: 'Payload too large' },
  415: { slug: 'unsupported-media-type', title: 'Unsupported media type' },
  429: { slug: 'rate-limited', title: 'Too many requests' },
  500: { slug: 'internal', title: 'Internal server error' },
  503: { slug: 'unavailable', title: 'Service unavailable' },
  507: { slug: 'insufficient-storage', title: 'Insufficient storage' },
}

/** Titles of slugs shared by several statuses' sources, so one `type` always has one `title`. */
const SLUG_TITLES: Record<string, string> = { 'invalid-input': 'Invalid input' }

/** The media type of every error body. */
export const PROBLEM_CONTENT_TYPE = 'application/problem+json'

/** One invalid input: `path` is `<where>.<field>`, e.g. `body.messages[3].content` or `query.limit`. */
export interface FieldError {
  path: string
  message: string
}

/** The body of every error response. */
export interface ProblemDocument {
  type: string
  title: string
  status: number
  detail: string
  errors?: FieldError[]
  /** The request id, so a client report can be matched to a log line. */
  instance?: string
}

/** Everything but `status` is optional: the defaults come from the status. */
export interface ProblemInit {
  detail?: string
  /** A slug under {@link PROBLEM_BASE_URI}, e.g. `'id-conflict'`. */
  slug?: string
  title?: string
  errors?: FieldError[]
  /** Extra response headers: `WWW-Authenticate`, `Retry-After`, `Allow`. */
  headers?: Record<string, string>
  cause?: unknown
}

/**
 * The error services and routes throw to answer with a problem. `app.onError` turns it into a
 * response, so throwing code never builds a `Response` and the shape stays in one place.
 *
 * @example
 * throw new ProblemError(409, { slug: 'message-conflict', detail: 'message m1 exists with other content' })
 */
export class ProblemError extends Error {
  override readonly name = 'ProblemError'
  readonly status: number
  readonly type: string
  readonly title: string
  readonly detail: string
  readonly errors: FieldError[] | undefined
  readonly headers: Record<string, string>

  constructor(status: number, init: ProblemInit = {}) {
    const defaults = DEFAULTS[status] ?? DEFAULTS[status < 500 ? 400 : 500]!
    const title = init.title ?? SLUG_TITLES[init.slug ?? ''] ?? defaults.title
    const detail = init.detail ?? title
    super(detail, init.cause === undefined ? undefined : { cause: init.cause })
    this.status = status
    this.type = PROBLEM_BASE_URI + (init.slug ?? defaults.slug)
    this.title = title
    this.detail = detail
    this.errors = init.errors
    this.headers = init.headers ?? {}
  }

  /** The JSON body, with the request id as `instance` when known. */
  toDocument(instance?: string): ProblemDocument {
    return {
      type: this.type,
      title: this.title,
      status: this.status,
      detail: this.detail,
      ...(this.errors ? { errors: this.errors } : {}),
      ...(instance ? { instance } : {}),
    }
  }

  /** A 400 listing each invalid field. */
  static invalid(errors: FieldError[], detail?: string): ProblemError {
    const summary = errors
      .slice(0, 3)
      .map((e) => `${e.path}: ${e.message}`)
      .join('; ')
    const more = errors.length > 3 ? ` (and ${errors.length - 3} more)` : ''
    return new ProblemError(400, {
      slug: 'invalid-input',
      title: 'Invalid input',
      detail: detail ?? `${summary}${more}`,
      errors,
    })
  }
}

/** Names for hono's validation targets as a client sees them. */
const TARGET_NAMES: Record<string, string> = {
  json: 'body',
  form: 'body',
  query: 'query',
  param: 'params',
  header: 'headers',
  cookie: 'cookies',
}

/** Formats a zod issue path as `body.messages[3].content`. */
export function formatPath(prefix: string, path: readonly PropertyKey[]): string {
  let out = prefix
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`
    else out += out ? `.${String(key)}` : String(key)
  }
  return out || '(root)'
}

/** Turns a zod failure on one request part (`json`, `query`, ...) into a 400 problem. */
export function problemFromZod(error: ZodError, target?: string): ProblemError {
  const prefix = target === undefined ? '' : (TARGET_NAMES[target] ?? target)
  return ProblemError.invalid(
    error.issues.map((issue) => ({ path: formatPath(prefix, issue.path), message: issue.message })),
  )
}

/** Builds the response for a problem; used by `onError`, `notFound` and middleware that answer early. */
export function problemResponse(problem: ProblemError, instance?: string): Response {
  return new Response(JSON.stringify(problem.toDocument(instance)), {
    status: problem.status,
    headers: { ...problem.headers, 'content-type': PROBLEM_CONTENT_TYPE },
  })
}

/** The problem document as an OpenAPI component, for route modules' `responses`. */
export const ProblemSchema = z
  .object({
    type: z.string().openapi({ example: `${PROBLEM_BASE_URI}invalid-input` }),
    title: z.string().openapi({ example: 'Invalid input' }),
    status: z.number().int().openapi({ example: 400 }),
    detail: z.string().openapi({ example: 'query.limit: Too big: expected number to be <=100' }),
    errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
    instance: z.string().optional().openapi({ description: 'The request id (x-request-id).' }),
  })
  .openapi('Problem')

const RESPONSE_DESCRIPTIONS: Record<number, string> = {
  400: 'Invalid input; `errors` lists each field and why.',
  401: 'Missing, malformed, expired or wrongly signed bearer token.',
  403: 'The token lacks the scope, or the caller may not see this resource.',
  404: 'Not found, or not visible to the caller.',
  409: 'Conflicts with the stored state.',
  413: 'Body over 1 MiB.',
  415: 'The body is not JSON.',
  429: 'Rate limit exceeded; see `Retry-After`.',
  503: 'The search backend is unavailable.',
  507: "The store's disk is full: the write was not stored; earlier writes are intact and reads go on.",
}

/**
 * OpenAPI `responses` entries for error statuses, to spread into `createRoute`.
 *
 * @example
 * responses: { 200: {...}, ...problemResponses(400, 401, 403, 404) }
 */
export function problemResponses<const S extends number>(...statuses: S[]) {
  const out = {} as Record<
    S,
    { description: string; content: { 'application/problem+json': { schema: typeof ProblemSchema } } }
  >
  for (const status of statuses) {
    out[status] = {
      description: RESPONSE_DESCRIPTIONS[status] ?? DEFAULTS[status]?.title ?? 'Error',
      content: { 'application/problem+json': { schema: ProblemSchema } },
    }
  }
  return out
}
