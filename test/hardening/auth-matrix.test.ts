/**
 * The auth matrix (issue #8): every guarded operation in `/openapi.json` — admin ones included,
 * and any added later — refuses a missing, expired, not-yet-valid, wrongly signed, `alg: none`
 * and wrong-scope token with a 401 or 403 problem, before reading its input (no body is sent, so
 * validation running first would show as a 400). test/routes/auth.test.ts checks the caller comes
 * from `sub`; test/http/auth.test.ts checks each refusal's detail and challenge once.
 */
import { SignJWT } from 'jose'
import { describe, expect, it } from 'vitest'
import type { Scope } from '../../src/http/context.ts'
import { signToken } from '../../src/http/dev-tokens.ts'
import { createHarness, expectProblem, JWT_SECRET } from '../routes/harness.ts'
import { listOperations, type Operation } from './openapi-operations.ts'

const h = createHarness()
const guarded = (await listOperations(h.app)).filter(
  (op): op is Operation & { scope: Scope } => op.scope !== undefined,
)
const SCOPES: Scope[] = ['search', 'ingest', 'admin']
const seconds = () => Math.floor(Date.now() / 1000)
const base64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url')

interface AuthCase {
  name: string
  status: 401 | 403
  /** The problem type's slug. */
  slug: string
  token(scope: Scope): Promise<string | undefined>
}

const sign = (claims: Record<string, unknown>) =>
  new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).sign(new TextEncoder().encode(JWT_SECRET))

const CASES: AuthCase[] = [
  { name: 'missing', status: 401, slug: 'missing-token', token: async () => undefined },
  {
    name: 'expired',
    status: 401,
    slug: 'invalid-token',
    token: (scope) => sign({ sub: 'u1', scope, exp: seconds() - 600 }),
  },
  {
    name: 'not yet valid (nbf in an hour)',
    status: 401,
    slug: 'invalid-token',
    token: (scope) => sign({ sub: 'u1', scope, nbf: seconds() + 3600, exp: seconds() + 7200 }),
  },
  {
    name: 'signed with another secret',
    status: 401,
    slug: 'invalid-token',
    token: (scope) =>
      signToken({ secret: 'not-the-server-secret-0123456789abcdef', sub: 'u1', scopes: [scope] }),
  },
  {
    name: 'alg none',
    status: 401,
    slug: 'invalid-token',
    // Every scope, so only the missing signature can be what refuses it.
    token: async () =>
      `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url({ sub: 'u1', scope: SCOPES.join(' '), exp: seconds() + 600 })}.`,
  },
  {
    name: 'every other scope',
    status: 403,
    slug: 'insufficient-scope',
    token: (scope) => signToken({ secret: JWT_SECRET, sub: 'u1', scopes: SCOPES.filter((s) => s !== scope) }),
  },
]

/** A concrete path: each `{param}` filled with an id that exists nowhere. */
const pathOf = (op: Operation) => op.template.replace(/\{[^}]+\}/g, 'nobody-1')

it('the matrix covers every scope', () => {
  expect(new Set(guarded.map((op) => op.scope))).toEqual(new Set(SCOPES))
})

describe.each(guarded.map((op) => [op.label, op] as const))('%s', (_label, op) => {
  it.each(CASES)('$name token: $status problem', async ({ status, slug, token }) => {
    const raw = await token(op.scope)
    const reply = await h.call(op.method, pathOf(op), raw === undefined ? {} : { rawToken: raw })
    const problem = expectProblem(reply, status)
    expect(problem.type).toMatch(new RegExp(`/${slug}$`))
    expect(reply.headers.get('www-authenticate')).toMatch(/^Bearer realm="im-search"/)
  })

  it('a token with the scope gets past auth', async () => {
    const reply = await h.call(op.method, pathOf(op), { as: 'u1', scopes: [op.scope] })
    expect([401, 403]).not.toContain(reply.status)
  })
})
