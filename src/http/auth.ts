/** @module Bearer-token authentication: JWT verification with jose and the `requireScope` middleware. */

import { webcrypto } from 'node:crypto'
import type { Context, MiddlewareHandler, Next } from 'hono'
import { createRemoteJWKSet, errors, type JWTPayload, type JWTVerifyGetKey, jwtVerify } from 'jose'
import type { AuthConfig } from '../config.ts'
import { IdSchema } from '../domain/ids.ts'
import type { AuthContext, AuthEnv, AuthVerifier, Caller, Scope } from './context.ts'
import { SCOPES } from './context.ts'
import { ProblemError } from './problem.ts'
import { createVerifiedTokens, expiryOf } from './verified-tokens.ts'

export type { AuthVerifier, Caller, Scope } from './context.ts'

/** The name of the bearer security scheme in the OpenAPI document. */
export const BEARER_SCHEME = 'bearerAuth'

const REALM = 'im-search'
/** HS256 is the only symmetric algorithm accepted; the JWKS path accepts these asymmetric ones. */
const ASYMMETRIC_ALGORITHMS = ['RS256', 'ES256'] as const
/** Far above any real token; refusing longer ones early keeps parsing cost bounded. */
const MAX_TOKEN_LENGTH = 8192
const BEARER = /^Bearer +([A-Za-z0-9._~+/-]+=*) *$/i

/** Options for {@link createAuthVerifier}: the key sources from config, plus test seams. */
export interface AuthVerifierOptions extends AuthConfig {
  /**
   * A key resolver that replaces `jwksUrl`, e.g. jose's `createLocalJWKSet(jwks)` in tests, so
   * RS256/ES256 can be exercised without the network.
   */
  jwks?: JWTVerifyGetKey
  /** Allowed clock skew for `exp` and `nbf`, in seconds. @default 5 */
  clockToleranceSec?: number
  /**
   * Verified tokens remembered by their exact string (see `verified-tokens.ts`): how many, and
   * for how long at most. `maxEntries: 0` verifies every request again.
   * @default { maxEntries: 10_000, maxAgeMs: 60_000 }
   */
  verifiedTokens?: { maxEntries?: number; maxAgeMs?: number }
}

/** Raised inside key resolution when the remote key set cannot be read: a 503, not the caller's fault. */
class KeySetUnavailableError extends Error {
  override readonly name = 'KeySetUnavailableError'
}

function unauthorized(detail: string, cause?: unknown): ProblemError {
  return new ProblemError(401, {
    slug: 'invalid-token',
    detail,
    cause,
    headers: {
      // RFC 6750 §3: the description is a quoted string, so it must not contain a double quote.
      'www-authenticate': `Bearer realm="${REALM}", error="invalid_token", error_description="${detail.replaceAll('"', "'")}"`,
    },
  })
}

/** Maps jose's failures to a 401 whose detail says what was wrong, without echoing the token. */
function toProblem(error: unknown): ProblemError {
  if (error instanceof ProblemError) return error
  if (error instanceof KeySetUnavailableError) {
    return new ProblemError(503, {
      slug: 'key-set-unavailable',
      detail: 'the token signing keys cannot be fetched; try again later',
      cause: error,
    })
  }
  if (error instanceof errors.JWTExpired) return unauthorized('token expired', error)
  if (error instanceof errors.JWTClaimValidationFailed) {
    const detail = error.claim === 'nbf' ? 'token not yet valid' : `token claim "${error.claim}" invalid`
    return unauthorized(detail, error)
  }
  if (error instanceof errors.JOSEAlgNotAllowed) return unauthorized('token algorithm not allowed', error)
  if (error instanceof errors.JWSSignatureVerificationFailed) {
    return unauthorized('token signature invalid', error)
  }
  if (error instanceof errors.JWKSNoMatchingKey) return unauthorized('no known key signed this token', error)
  return unauthorized('token malformed', error)
}

function callerFrom(payload: JWTPayload): Caller {
  const sub = IdSchema.safeParse(payload.sub)
  if (!sub.success) throw unauthorized('token "sub" is missing or not a valid user id')
  const scopes = new Set<Scope>()
  if (payload.scope !== undefined) {
    if (typeof payload.scope !== 'string')
      throw unauthorized('token "scope" must be a space-separated string')
    for (const word of payload.scope.split(' ')) {
      // Unknown words are ignored, so an issuer can add scopes for other services to the same token.
      if ((SCOPES as readonly string[]).includes(word)) scopes.add(word as Scope)
    }
  }
  // Frozen: one caller serves every request carrying the same token.
  return Object.freeze({ userId: sub.data, scopes })
}

/**
 * Creates the verifier from the configured key sources. HS256 tokens are checked against
 * `jwtSecret`, RS256/ES256 tokens against the JWKS; the header's `alg` picks the key source, and
 * jose refuses any other algorithm, including `none`. With neither source, every token is refused.
 * A token that verified is remembered by its exact string until it expires, for at most a minute
 * (`verified-tokens.ts`): the same client's next requests skip the signature.
 */
export function createAuthVerifier(options: AuthVerifierOptions): AuthVerifier {
  // Imported once: given the raw bytes, jose imports a CryptoKey on every verify (5% of a search
  // request's CPU under load).
  const secret = options.jwtSecret
    ? webcrypto.subtle.importKey(
        'raw',
        new TextEncoder().encode(options.jwtSecret),
        { name: 'HMAC', hash: 'SHA-256' },
        false,
        ['verify'],
      )
    : undefined
  const jwks = options.jwks ?? (options.jwksUrl ? createRemoteJWKSet(new URL(options.jwksUrl)) : undefined)
  const algorithms = [...(secret ? ['HS256'] : []), ...(jwks ? ASYMMETRIC_ALGORITHMS : [])]

  const getKey: JWTVerifyGetKey = async (header, token) => {
    if (header.alg === 'HS256' && secret) return secret
    if (jwks && (ASYMMETRIC_ALGORITHMS as readonly string[]).includes(header.alg ?? '')) {
      try {
        return await jwks(header, token)
      } catch (error) {
        if (error instanceof errors.JWKSNoMatchingKey || error instanceof errors.JWKSMultipleMatchingKeys) {
          throw error
        }
        throw new KeySetUnavailableError('[im-search] [auth] JWKS unavailable', { cause: error })
      }
    }
    throw new errors.JOSEAlgNotAllowed(`"alg" (Algorithm) Header Parameter value not allowed`)
  }

  const clockTolerance = options.clockToleranceSec ?? 5
  const verified = createVerifiedTokens<Caller>({
    maxEntries: options.verifiedTokens?.maxEntries ?? 10_000,
    maxAgeMs: options.verifiedTokens?.maxAgeMs ?? 60_000,
  })

  return {
    known: (token) => verified.get(token),
    async verify(token) {
      if (token.length > MAX_TOKEN_LENGTH) throw unauthorized('token too long')
      const known = verified.get(token)
      if (known) return known
      try {
        const { payload } = await jwtVerify(token, getKey, { algorithms, clockTolerance })
        const caller = callerFrom(payload)
        verified.set(token, caller, expiryOf(payload.exp, clockTolerance))
        return caller
      } catch (error) {
        throw toProblem(error)
      }
    },
  }
}

/** Extracts the token from an `Authorization` header, or throws the 401 that says what is wrong. */
export function bearerToken(header: string | undefined): string {
  if (!header) {
    throw new ProblemError(401, {
      slug: 'missing-token',
      detail: 'an Authorization: Bearer <token> header is required',
      headers: { 'www-authenticate': `Bearer realm="${REALM}"` },
    })
  }
  const match = BEARER.exec(header)
  if (!match?.[1]) throw unauthorized('the Authorization header is not "Bearer <token>"')
  return match[1]
}

/**
 * Guards a route: verifies the bearer token, applies the per-caller rate limit (when configured),
 * checks the scope, and sets `c.var.caller`. List it in `createRoute({ middleware: [requireScope('search')] })`
 * so the OpenAPI route and the handler's `c.var.caller` type both see it.
 */
export function requireScope(scope: Scope): MiddlewareHandler<AuthEnv> {
  /** Sets the caller, then the rate limit and the scope; what follows runs only when both allow it. */
  const admit = (c: Context<AuthEnv>, auth: AuthContext, caller: Caller, next: Next) => {
    c.set('caller', caller)
    const retryAfter = auth.rateLimiter?.take(caller.userId) ?? 0
    if (retryAfter > 0) {
      throw new ProblemError(429, {
        detail: `rate limit exceeded; retry in ${retryAfter} s`,
        headers: { 'retry-after': String(retryAfter) },
      })
    }
    if (!caller.scopes.has(scope)) {
      throw new ProblemError(403, {
        slug: 'insufficient-scope',
        detail: `this operation needs the "${scope}" scope`,
        headers: {
          'www-authenticate': `Bearer realm="${REALM}", error="insufficient_scope", scope="${scope}"`,
        },
      })
    }
    return next()
  }
  // Not async: a client's token is nearly always one already verified, and admitting it in the
  // same turn saves the promise and the frame an await on `verify` would cost every request. Hono
  // awaits a middleware's result inside a try, so what this throws is handled like a rejection.
  return function requireScopeMiddleware(c, next) {
    const auth = c.get('auth')
    // A programmer error: the route was mounted outside createApp, so nothing can verify tokens.
    if (!auth) throw new Error('[im-search] requireScope: no auth context; mount routes through createApp')
    const token = bearerToken(c.req.header('authorization'))
    const known = auth.verifier.known(token)
    if (known) return admit(c, auth, known, next)
    return auth.verifier.verify(token).then((caller) => admit(c, auth, caller, next))
  }
}

/**
 * The `createRoute` fields for a guarded route: the middleware and the OpenAPI security
 * requirement naming the scope, so the docs and the check cannot drift apart.
 *
 * @example
 * createRoute({ method: 'get', path: '/search/messages', ...authorized('search'), request, responses })
 */
export function authorized<const S extends Scope>(scope: S) {
  return {
    // A mutable one-element tuple: createRoute wants `H[]`, and the tuple keeps the env for `c.var.caller`.
    middleware: [requireScope(scope)] as [MiddlewareHandler<AuthEnv>],
    security: [{ [BEARER_SCHEME]: [scope] }],
  }
}
