/**
 * The console's routes without a browser (issue #14): the page and its files come from the service
 * itself (nothing from another origin) under a strict content security policy, and development
 * tokens are minted only outside production. In production, or when the app is not told that it
 * runs outside production, the mint endpoint does not exist and nothing is minted.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { createMemoryBackend } from '../../adapters/memory/index.ts'
import { MemoryRecordStore } from '../../adapters/memory/record-store.ts'
import { buildApp } from '../../src/build-app.ts'
import { createAuthVerifier } from '../../src/http/auth.ts'
import { createLogger } from '../../src/logger.ts'
import { loadFixtures } from '../../src/services/fixtures-loader.ts'

const SECRET = 'console-routes-secret-0123456789-abcdef'

async function consoleApp(isProduction: boolean | undefined) {
  const store = new MemoryRecordStore()
  const backend = createMemoryBackend()
  const { app } = buildApp({
    config: { auth: { jwtSecret: SECRET }, rateLimitPerMinute: undefined, cursorSecret: 'c', isProduction },
    logger: createLogger({ level: 'silent' }),
    store,
    backend,
  })
  return { app, store, backend }
}

// biome-ignore lint/suspicious/noExplicitAny: answers are asserted field by field.
const json = async (res: Response): Promise<any> => res.json()

/** What @hono/node-server passes the app: the connection the request came on. */
const from = (remoteAddress: string) => ({ incoming: { socket: { remoteAddress } } })
const LOCAL = from('127.0.0.1')

const mintRequest = (body: unknown) => ({
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
})

describe('outside production', () => {
  let app: Awaited<ReturnType<typeof consoleApp>>['app']
  beforeAll(async () => {
    const built = await consoleApp(false)
    await loadFixtures('fixtures', { store: built.store, backend: built.backend })
    app = built.app
  })

  it('serves the page at / naming the development user, under a same-origin-only policy', async () => {
    const res = await app.request('/', {}, LOCAL)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toMatch(/^text\/html/)
    const csp = res.headers.get('content-security-policy') ?? ''
    expect(csp).toContain("script-src 'self'")
    expect(csp).toContain("object-src 'none'")
    const page = await res.text()
    expect(page).toContain('data-dev-user="u1"')
    // Every script and style is local: no absolute URL to another host anywhere in the page.
    expect(page).not.toMatch(/(?:src|href)="(?:https?:)?\/\//)
  })

  it('serves every file the page loads, and nothing it does not know', async () => {
    const page = await (await app.request('/', {}, LOCAL)).text()
    const entry = await app.request('/console/assets/console.js')
    expect(entry.status).toBe(200)
    expect(entry.headers.get('content-type')).toMatch(/^text\/javascript/)
    const script = await entry.text()
    const imports = [...script.matchAll(/from '\.\/([\w-]+\.js)'/g)].map((m) => m[1])
    expect(imports.length).toBeGreaterThan(3)
    for (const name of [...imports, 'console.css']) {
      const res = await app.request(`/console/assets/${name}`)
      expect(res.status, name).toBe(200)
      expect(await res.text()).not.toMatch(/https?:\/\/(?!github\.com\/im-search)/)
    }
    expect(page).toContain('/console/assets/console.css')
    const missing = await app.request('/console/assets/nope.js')
    expect(missing.status).toBe(404)
    expect(missing.headers.get('content-type')).toMatch(/problem\+json/)
  })

  it('lists fixture users to act as and mints tokens the API accepts, admin scope on request', async () => {
    const list = await json(await app.request('/console/dev/users', {}, LOCAL))
    expect(list.users).toContainEqual({ userId: 'u1', name: '张伟' })
    const user = await app.request('/console/dev/token', mintRequest({ userId: 'u6' }), LOCAL)
    expect(user.status).toBe(200)
    const { token, scopes } = await json(user)
    expect(scopes).toEqual(['search', 'ingest'])
    const verifier = createAuthVerifier({ jwtSecret: SECRET })
    const caller = await verifier.verify(token)
    expect(caller.userId).toBe('u6')
    expect(caller.scopes.has('admin')).toBe(false)
    const admin = await json(
      await app.request('/console/dev/token', mintRequest({ userId: 'admin', admin: true }), LOCAL),
    )
    expect((await verifier.verify(admin.token)).scopes.has('admin')).toBe(true)
    const search = await app.request('/v1/search?q=上海东边', {
      headers: { authorization: `Bearer ${token}` },
    })
    expect(search.status).toBe(200)
  })

  it('mints nothing for a request from another machine, and its page asks for a token', async () => {
    for (const address of ['192.168.1.20', '::ffff:10.0.0.7', '2001:db8::1']) {
      const mint = await app.request('/console/dev/token', mintRequest({ userId: 'u1' }), from(address))
      expect(mint.status, address).toBe(403)
      expect(await mint.text()).not.toMatch(/eyJ/)
      expect((await app.request('/console/dev/users', {}, from(address))).status).toBe(403)
      expect(await (await app.request('/', {}, from(address))).text()).toContain('data-dev-user=""')
    }
    for (const address of ['::1', '::ffff:127.0.0.1', '127.0.0.2'])
      expect((await app.request('/console/dev/users', {}, from(address))).status, address).toBe(200)
    // No connection at all (an in-process request) is not known to be local either.
    expect((await app.request('/console/dev/users')).status).toBe(403)
  })

  it('refuses a malformed mint request with a problem naming the field', async () => {
    const res = await app.request('/console/dev/token', mintRequest({ userId: 'a b' }), LOCAL)
    expect(res.status).toBe(400)
    const problem = await json(res)
    expect(problem.errors.map((e: { path: string }) => e.path)).toContain('body.userId')
    const extra = await app.request(
      '/console/dev/token',
      mintRequest({ userId: 'u1', scopes: ['admin'] }),
      LOCAL,
    )
    expect(extra.status).toBe(400)
    const broken = await app.request(
      '/console/dev/token',
      { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"userId": ' },
      LOCAL,
    )
    expect(broken.status).toBe(400)
    expect(broken.headers.get('content-type')).toMatch(/problem\+json/)
    const text = await app.request(
      '/console/dev/token',
      { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'u1' },
      LOCAL,
    )
    expect(text.status).toBe(415)
  })
})

describe.each([
  ['in production', true],
  ['when the app is not told it runs outside production', undefined],
])('%s', (_name, isProduction) => {
  it('serves the page without a development user, and no token is ever minted', async () => {
    const { app } = await consoleApp(isProduction)
    const page = await (await app.request('/', {}, LOCAL)).text()
    expect(page).toContain('data-dev-user=""')
    const mint = await app.request('/console/dev/token', mintRequest({ userId: 'u1', admin: true }), LOCAL)
    expect(mint.status).toBe(404)
    expect(await mint.text()).not.toMatch(/eyJ/)
    expect((await app.request('/console/dev/users', {}, LOCAL)).status).toBe(404)
  })
})
