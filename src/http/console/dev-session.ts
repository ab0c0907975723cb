/**
 * @module The console's development sign-in: outside production, a list of users to act as and a
 * token minted for the one picked, as `npm start` prints them. Never mounted in production.
 */
import { Hono } from 'hono'
import { z } from 'zod'
import { IdSchema } from '../../domain/ids.ts'
import type { RecordScanner } from '../../ports/record-store.ts'
import type { AppEnv, Scope } from '../context.ts'
import { signToken } from '../dev-tokens.ts'
import { problemFromZod } from '../problem.ts'

/** Users offered in the console's picker: the first page of the store, enough to try the anchors. */
export const DEV_USER_LIST_SIZE = 50

/** What the console's "act as" picker posts. */
const MintSchema = z
  .object({
    userId: IdSchema,
    /** Adds the `admin` scope, for the admin panel. */
    admin: z.boolean().default(false),
  })
  .strict()

/** Options for {@link devSessionRoutes}. */
export interface DevSessionOptions {
  /** The HS256 secret the server verifies with; minted tokens are signed with it. */
  secret: string
  /** Where the picker's users come from. */
  users: RecordScanner
}

/**
 * `GET /console/dev/users` (the picker's list) and `POST /console/dev/token` (a 24 h token for
 * `{userId, admin?}`). The caller of `createConsole` mounts these only outside production.
 */
export function devSessionRoutes(options: DevSessionOptions): Hono<AppEnv> {
  return new Hono<AppEnv>()
    .get('/console/dev/users', async (c) => {
      const users: { userId: string; name: string }[] = []
      for await (const page of options.users.scan('users', DEV_USER_LIST_SIZE)) {
        users.push(...page.map((u) => ({ userId: u.userId, name: u.name })))
        break
      }
      users.sort((a, b) => a.userId.localeCompare(b.userId, 'en', { numeric: true }))
      return c.json({ users })
    })
    .post('/console/dev/token', async (c) => {
      const parsed = MintSchema.safeParse(await c.req.json().catch(() => undefined))
      if (!parsed.success) throw problemFromZod(parsed.error, 'json')
      const { userId, admin } = parsed.data
      const scopes: Scope[] = admin ? ['search', 'ingest', 'admin'] : ['search', 'ingest']
      const token = await signToken({ secret: options.secret, sub: userId, scopes })
      return c.json({ token, userId, scopes })
    })
}
