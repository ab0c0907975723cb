/** @module Development tokens: a random secret when none is configured, and tokens to paste. */
import { randomBytes } from 'node:crypto'
import { SignJWT } from 'jose'
import type { Config } from '../config.ts'
import type { Scope } from './context.ts'

/** The fixture user development tokens and the console act as (see fixtures/README.md): 张伟 in Hangzhou. */
export const DEV_USER = 'u1'

/** Options for {@link signToken}. */
export interface SignTokenOptions {
  /** The HS256 secret, as configured in `IMSEARCH_JWT_SECRET`. */
  secret: string
  /** The caller's user id. */
  sub: string
  scopes: readonly Scope[]
  /** A jose time span (`'24h'`, `'7d'`, `'90m'`) or seconds. @default '24h' */
  expiresIn?: string | number
}

/** Mints an HS256 token the server's verifier accepts; used by `npm run token` and dev start-up. */
export function signToken(options: SignTokenOptions): Promise<string> {
  const expiresIn = options.expiresIn ?? '24h'
  return new SignJWT({ scope: options.scopes.join(' ') })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(options.sub)
    .setIssuedAt()
    .setExpirationTime(typeof expiresIn === 'number' ? Math.floor(Date.now() / 1000) + expiresIn : expiresIn)
    .sign(new TextEncoder().encode(options.secret))
}

/**
 * Outside production with no key source, start-up makes a random HS256 secret for this process
 * (`loadConfig` already refused this case in production). Returns the config to use and whether
 * the secret is ephemeral, so main knows to print tokens.
 */
export function withDevSecret(config: Config): { config: Config; generated: boolean } {
  if (config.auth.jwtSecret || config.auth.jwksUrl || config.isProduction) return { config, generated: false }
  const jwtSecret = randomBytes(32).toString('base64url')
  return { config: { ...config, auth: { ...config.auth, jwtSecret } }, generated: true }
}

/** Options for {@link devTokenBanner}. */
export interface DevTokenBannerOptions {
  secret: string
  /** Where the server listens, e.g. `http://127.0.0.1:8080/`. */
  baseUrl: string
  /** A fixture user to act as. */
  userId: string
  /** @default 'admin' */
  adminId?: string
  /** @default '24h' */
  expiresIn?: string
}

/**
 * Text for the terminal: a `search ingest` token for a fixture user, an all-scopes admin token,
 * and curl lines that use them, ready to paste.
 */
export async function devTokenBanner(options: DevTokenBannerOptions): Promise<string> {
  const expiresIn = options.expiresIn ?? '24h'
  const adminId = options.adminId ?? 'admin'
  const base = options.baseUrl.replace(/\/+$/, '')
  const user = await signToken({
    secret: options.secret,
    sub: options.userId,
    scopes: ['search', 'ingest'],
    expiresIn,
  })
  const admin = await signToken({
    secret: options.secret,
    sub: adminId,
    scopes: ['search', 'ingest', 'admin'],
    expiresIn,
  })
  return [
    `Development tokens (random secret for this process, valid ${expiresIn}; set IMSEARCH_JWT_SECRET to keep them):`,
    '',
    `  # ${options.userId}, scopes "search ingest"`,
    `  export TOKEN=${user}`,
    `  # ${adminId}, scopes "search ingest admin"`,
    `  export ADMIN_TOKEN=${admin}`,
    '',
    `  curl -s -H "Authorization: Bearer $TOKEN" '${base}/v1/search/messages?q=hello'`,
    `  Console (signed in as ${options.userId}): ${base}/`,
    `  API reference: ${base}/docs`,
    '',
  ].join('\n')
}
