/**
 * @module The console's development sign-in: outside production, a list of users to act as and a
 * token minted for the one picked, as `npm start` prints them. Never mounted in production.
 */
import { getConnInfo } from '@hono/node-server/conninfo'
import { type Context, Hono } from 'hono'
import { z } from 'zod'
import { IdSchema } from '../../domain/ids.ts'
import type { RecordScanner } from '../../ports/record-store.ts'
import type { AppEnv, Scope } from '../context.ts'
import { signToken } from '../dev-tokens.ts'
import { ProblemError, problemFromZod } from '../problem.ts'

/** Users offered in the console's picker: the first page of the store, enough to try the anchors. */
export const DEV_USER_LIST_SIZE = 50

/** 127.0.0.0/8 and ::1, also as IPv4-mapped IPv6 addresses. */
const LOOPBACK = /^(?:::ffff:)?127\.\d+\.\d+\.\d+$|^::1$/i

/**
 * Whether the request came over a loopback connection. A development server bound to a public
 * address must not hand admin tokens to whoever reaches it; `npm start` prints its tokens only to
 * its own terminal too. Unknown (no socket) counts as not.
 */
export function fromThisMachine(c: Context): boolean {
  try {
    return LOOPBACK.test(getConnInfo(c).remote.address ?? '')
  } catch {
    return false
  }
}

/** What the console's "act as" picker posts. */
const MintSchema = z
  .object({
    userId: IdSchema,
    /** Adds the `admin` scope, for the admin panel. */
    admin: z.boolean().default(false),
  })
  .strict()

/** A user the picker offers. */
export interface PickerUser {
  userId: string
  name: string
}

/** The picker's users: the first page of the store, by id. */
export async function pickerUsers(store: RecordScanner): Promise<PickerUser[]> {
  const users: PickerUser[] = []
  for await (const page of store.scan('users', DEV_USER_LIST_SIZE)) {
    users.push(...page.map((u) => ({ userId: u.userId, name: u.name })))
    break
  }
  return users.sort((a, b) => a.userId.localeCompare(b.userId, 'en', { numeric: true }))
}

/** Options for {@link devSessionRoutes}. */
export interface DevSessionOptions {
  /** The HS256 secret the server verifies with; minted tokens are signed with it. */
  secret: string
  /** The picker's users ({@link pickerUsers} over the store, here or in the thread that owns it). */
  users: () => Promise<PickerUser[]>
}

/**
 * `GET /console/dev/users` (the picker's list) and `POST /console/dev/token` (a 24 h token for
 * `{userId, admin?}`), for loopback requests only (403 otherwise). `consoleRoutes` mounts these
 * only outside production.
 */
export function devSessionRoutes(options: DevSessionOptions): Hono<AppEnv> {
  return new Hono<AppEnv>()
    .use('/console/dev/*', async (c, next) => {
      if (!fromThisMachine(c))
        throw new ProblemError(403, {
          slug: 'not-local',
          detail: 'development tokens are minted only for requests from the machine the server runs on',
        })
      await next()
    })
    .get('/console/dev/users', async (c) => c.json({ users: await options.users() }))
    .post('/console/dev/token', async (c) => {
      const parsed = MintSchema.safeParse(await c.req.json().catch(() => undefined))
      if (!parsed.success) throw problemFromZod(parsed.error, 'json')
      const { userId, admin } = parsed.data
      const scopes: Scope[] = admin ? ['search', 'ingest', 'admin'] : ['search', 'ingest']
      const token = await signToken({ secret: options.secret, sub: userId, scopes })
      return c.json({ token, userId, scopes })
    })
}
