/**
 * @module The browser console at `/` (issue #14): the page, its files, and outside production the
 * development sign-in. Plain routes, not in `/openapi.json`: they are no part of the API.
 */
import { Hono } from 'hono'
import type { AppEnv } from '../context.ts'
import { ProblemError } from '../problem.ts'
import { ASSET_PREFIX, loadAssets } from './assets.ts'
import { type DevSessionOptions, devSessionRoutes, fromThisMachine } from './dev-session.ts'
import { consolePage } from './page.ts'

/**
 * Scripts and styles from this origin only, no inline script, no plugin, no framing: a message's
 * text that slipped into the page as markup still could not run.
 */
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ')

/** Options for {@link consoleRoutes}. */
export interface ConsoleOptions {
  /**
   * Development sign-in: the user the console acts as on opening, the secret to mint tokens with,
   * and where the picker's users come from. Absent (production, or keys from a JWKS): only a pasted
   * token works and nothing is minted.
   */
  dev?: DevSessionOptions & { user: string }
}

/** The console's routes, to mount at the app's root. */
export function consoleRoutes(options: ConsoleOptions): Hono<AppEnv> {
  const assets = loadAssets()
  const app = new Hono<AppEnv>()
    .get('/', (c) => {
      c.header('content-security-policy', CONTENT_SECURITY_POLICY)
      c.header('x-content-type-options', 'nosniff')
      c.header('referrer-policy', 'no-referrer')
      // A visitor from elsewhere could not mint the token, so their console asks for one.
      const devUser = options.dev && fromThisMachine(c) ? options.dev.user : undefined
      return c.html(consolePage({ devUser }))
    })
    .get(`${ASSET_PREFIX}:name`, (c) => {
      const asset = assets.get(c.req.param('name'))
      if (!asset) throw new ProblemError(404, { detail: `no console file ${c.req.param('name')}` })
      return c.body(asset.body, 200, {
        'content-type': asset.contentType,
        'x-content-type-options': 'nosniff',
        // Small files that change with the server: revalidate rather than serve a stale console.
        'cache-control': 'no-cache',
      })
    })
  if (options.dev) app.route('/', devSessionRoutes(options.dev))
  return app
}
