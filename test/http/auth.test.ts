import {
  createLocalJWKSet,
  createRemoteJWKSet,
  customFetch,
  exportJWK,
  generateKeyPair,
  type JWK,
  SignJWT,
} from 'jose'
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { createAuthVerifier } from '../../src/http/auth.ts'
import { PROBLEM_BASE_URI } from '../../src/http/problem.ts'
import { authHeader, problemOf, SECRET, testApp, token } from './support.ts'

const enc = new TextEncoder()
const now = () => Math.floor(Date.now() / 1000)
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url')

function hs256(claims: Record<string, unknown>, secret = SECRET, alg = 'HS256') {
  return new SignJWT(claims).setProtectedHeader({ alg }).sign(enc.encode(secret))
}

async function getItem(app: ReturnType<typeof testApp>['app'], authorization?: string) {
  return app.request('/v1/items/i1', authorization === undefined ? {} : { headers: { authorization } })
}

async function expect401(res: Response, detail: RegExp) {
  expect(res.status).toBe(401)
  expect(res.headers.get('www-authenticate')).toMatch(/^Bearer realm="im-search"/)
  const { contentType, body } = await problemOf(res)
  expect(contentType).toBe('application/problem+json')
  expect(body.status).toBe(401)
  expect(body.type.startsWith(PROBLEM_BASE_URI)).toBe(true)
  expect(body.detail).toMatch(detail)
  return body
}

describe('bearer authentication (HS256)', () => {
  const { app } = testApp()

  it('accepts a valid token and exposes the caller', async () => {
    const res = await app.request('/v1/items/i1', {
      method: 'PUT',
      headers: { ...(await authHeader('alice', ['ingest'])), 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'n' }),
    })
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ itemId: 'i1', by: 'alice', name: 'n' })
  })

  it('401 without a token, with a bare Bearer challenge', async () => {
    const res = await getItem(app)
    const body = await expect401(res, /Authorization/)
    expect(res.headers.get('www-authenticate')).toBe('Bearer realm="im-search"')
    expect(body.type).toBe(`${PROBLEM_BASE_URI}missing-token`)
  })

  it('401 for a header that is not Bearer', async () => {
    await expect401(await getItem(app, 'Basic dTE6cHc='), /not "Bearer <token>"/)
    await expect401(await getItem(app, 'Bearer'), /not "Bearer <token>"/)
    await expect401(await getItem(app, 'Bearer a b'), /not "Bearer <token>"/)
  })

  it('401 for a malformed token', async () => {
    await expect401(await getItem(app, 'Bearer not.a.jwt'), /malformed/)
    await expect401(await getItem(app, 'Bearer abc'), /malformed/)
    await expect401(await getItem(app, `Bearer ${'a'.repeat(9000)}`), /too long/)
  })

  it('401 for an expired token', async () => {
    const expired = await hs256({ sub: 'u1', scope: 'search', exp: now() - 60 })
    const res = await getItem(app, `Bearer ${expired}`)
    await expect401(res, /expired/)
    expect(res.headers.get('www-authenticate')).toContain('error="invalid_token"')
  })

  it('401 for a token that is not yet valid', async () => {
    const early = await hs256({ sub: 'u1', scope: 'search', nbf: now() + 3600 })
    await expect401(await getItem(app, `Bearer ${early}`), /not yet valid/)
  })

  it('401 for a token signed with another secret', async () => {
    const forged = await hs256({ sub: 'u1', scope: 'search' }, 'another-secret-another-secret-123456')
    await expect401(await getItem(app, `Bearer ${forged}`), /signature/)
  })

  it('401 for alg none', async () => {
    const unsigned = `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ sub: 'u1', scope: 'search admin' })}.`
    await expect401(await getItem(app, `Bearer ${unsigned}`), /malformed|algorithm/)
  })

  it('401 for an algorithm other than HS256, even with the right secret', async () => {
    const hs512 = await hs256({ sub: 'u1', scope: 'search' }, SECRET, 'HS512')
    await expect401(await getItem(app, `Bearer ${hs512}`), /algorithm not allowed/)
  })

  it('401 for a missing or invalid sub, or a non-string scope', async () => {
    await expect401(await getItem(app, `Bearer ${await hs256({ scope: 'search' })}`), /sub/)
    await expect401(await getItem(app, `Bearer ${await hs256({ sub: 'a b/c', scope: 'search' })}`), /sub/)
    await expect401(await getItem(app, `Bearer ${await hs256({ sub: 'u1', scope: ['search'] })}`), /scope/)
  })

  it('403 with insufficient_scope when the scope is missing', async () => {
    const res = await getItem(app, `Bearer ${await token('u1', ['ingest'])}`)
    expect(res.status).toBe(403)
    expect(res.headers.get('www-authenticate')).toContain('error="insufficient_scope"')
    const { body } = await problemOf(res)
    expect(body).toMatchObject({ status: 403, type: `${PROBLEM_BASE_URI}insufficient-scope` })
    expect(body.detail).toContain('"search"')
  })

  it('answers a token already verified (admitted in the same turn) exactly as on its first use', async () => {
    const { app } = testApp()
    // The same request id each time: a problem document's `instance` is the request's id.
    const answer = async (authorization: string) => {
      const res = await app.request('/v1/items/i1', { headers: { authorization, 'x-request-id': 'r-1' } })
      return { status: res.status, headers: [...res.headers], body: await res.text() }
    }
    for (const [scopes, status] of [
      [['ingest'], 403],
      [['search'], 200],
    ] as const) {
      const authorization = `Bearer ${await token('u1', [...scopes])}`
      const first = await answer(authorization)
      expect(first.status).toBe(status)
      expect(await answer(authorization)).toEqual(first)
    }
  })

  it('knows a token once it has verified it, as the same caller, and never before', async () => {
    const verifier = createAuthVerifier({ jwtSecret: SECRET })
    const jwt = await token('u1', ['search'])
    expect(verifier.known(jwt)).toBeUndefined()
    await expect(verifier.verify(`${jwt}x`)).rejects.toMatchObject({ status: 401 })
    expect(verifier.known(`${jwt}x`)).toBeUndefined()
    const caller = await verifier.verify(jwt)
    expect(verifier.known(jwt)).toBe(caller)
  })

  it('admin does not imply other scopes, and unknown scope words are ignored', async () => {
    expect((await getItem(app, `Bearer ${await token('u1', ['admin'])}`)).status).toBe(403)
    const extra = await hs256({ sub: 'u1', scope: 'other:read search' })
    expect((await getItem(app, `Bearer ${extra}`)).status).toBe(200)
  })
})

/** jose's key type; the Node-only lib has no global `CryptoKey`. */
type PrivateKey = Awaited<ReturnType<typeof generateKeyPair>>['privateKey']

describe('bearer authentication (RS256/ES256 from a JWKS)', () => {
  let jwks: { keys: JWK[] }
  let rsaKey: PrivateKey
  let ecKey: PrivateKey
  let strangerKey: PrivateKey

  beforeAll(async () => {
    const rsa = await generateKeyPair('RS256')
    const ec = await generateKeyPair('ES256')
    const stranger = await generateKeyPair('RS256')
    rsaKey = rsa.privateKey
    ecKey = ec.privateKey
    strangerKey = stranger.privateKey
    jwks = {
      keys: [
        { ...(await exportJWK(rsa.publicKey)), kid: 'rsa-1', alg: 'RS256', use: 'sig' },
        { ...(await exportJWK(ec.publicKey)), kid: 'ec-1', alg: 'ES256', use: 'sig' },
      ],
    }
  })

  const sign = (key: PrivateKey, alg: string, kid: string, claims: Record<string, unknown> = {}) =>
    new SignJWT({ scope: 'search', ...claims })
      .setProtectedHeader({ alg, kid })
      .setSubject('u1')
      .setExpirationTime('5m')
      .sign(key)

  it('verifies RS256 and ES256 tokens against a local key set', async () => {
    const verifier = createAuthVerifier({ jwks: createLocalJWKSet(jwks) })
    expect((await verifier.verify(await sign(rsaKey, 'RS256', 'rsa-1'))).userId).toBe('u1')
    const caller = await verifier.verify(await sign(ecKey, 'ES256', 'ec-1', { scope: 'search ingest' }))
    expect([...caller.scopes]).toEqual(['search', 'ingest'])
  })

  it('refuses unknown keys, foreign signatures and HS256 when no secret is configured', async () => {
    const { app } = testApp({ verifier: createAuthVerifier({ jwks: createLocalJWKSet(jwks) }) })
    await expect401(await getItem(app, `Bearer ${await sign(strangerKey, 'RS256', 'rsa-1')}`), /signature/)
    await expect401(await getItem(app, `Bearer ${await sign(strangerKey, 'RS256', 'nope')}`), /no known key/)
    await expect401(await getItem(app, `Bearer ${await token()}`), /algorithm not allowed/)
    expect((await getItem(app, `Bearer ${await sign(rsaKey, 'RS256', 'rsa-1')}`)).status).toBe(200)
  })

  it('accepts both sources when both are configured', async () => {
    const verifier = createAuthVerifier({ jwtSecret: SECRET, jwks: createLocalJWKSet(jwks) })
    expect((await verifier.verify(await token('hs'))).userId).toBe('hs')
    expect((await verifier.verify(await sign(ecKey, 'ES256', 'ec-1'))).userId).toBe('u1')
  })

  it('fetches a remote key set through jose (custom fetch, no network)', async () => {
    let fetches = 0
    const remote = createRemoteJWKSet(new URL('https://issuer.test/jwks.json'), {
      [customFetch]: async () => {
        fetches += 1
        return new Response(JSON.stringify(jwks), { headers: { 'content-type': 'application/json' } })
      },
    })
    const verifier = createAuthVerifier({ jwks: remote })
    expect((await verifier.verify(await sign(rsaKey, 'RS256', 'rsa-1'))).userId).toBe('u1')
    expect(fetches).toBe(1)
  })

  it('503 when the remote key set cannot be fetched', async () => {
    const down = createRemoteJWKSet(new URL('https://issuer.test/jwks.json'), {
      [customFetch]: async () => new Response('oops', { status: 502 }),
    })
    const { app } = testApp({ verifier: createAuthVerifier({ jwks: down }) })
    const res = await getItem(app, `Bearer ${await sign(rsaKey, 'RS256', 'rsa-1')}`)
    expect(res.status).toBe(503)
    const { body } = await problemOf(res)
    expect(body.type).toBe(`${PROBLEM_BASE_URI}key-set-unavailable`)
  })

  it('with no key source every token is refused', async () => {
    const verifier = createAuthVerifier({})
    await expect(verifier.verify(await token())).rejects.toMatchObject({ status: 401 })
  })
})

describe('verified tokens are remembered by their string, never past their expiry', () => {
  const T0 = Date.UTC(2026, 11, 5, 12, 0, 0)
  let keys: { jwks: { keys: JWK[] }; privateKey: PrivateKey }

  beforeAll(async () => {
    const pair = await generateKeyPair('ES256')
    keys = {
      jwks: { keys: [{ ...(await exportJWK(pair.publicKey)), kid: 'ec-1', alg: 'ES256' }] },
      privateKey: pair.privateKey,
    }
  })
  afterEach(() => vi.useRealTimers())

  /** A verifier over the key set that counts its key lookups: one per signature actually checked. */
  function counting(options: Parameters<typeof createAuthVerifier>[0] = {}) {
    const local = createLocalJWKSet(keys.jwks)
    const counter = { lookups: 0 }
    const verifier = createAuthVerifier({
      ...options,
      jwks: (header, token) => {
        counter.lookups += 1
        return local(header, token)
      },
    })
    return { verifier, counter }
  }
  const sign = (claims: Record<string, unknown>) =>
    new SignJWT({ scope: 'search', ...claims })
      .setProtectedHeader({ alg: 'ES256', kid: 'ec-1' })
      .sign(keys.privateKey)

  it('checks a token once, then accepts it by its string until the millisecond jose refuses it', async () => {
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(T0)
    const exp = T0 / 1000 + 30
    const jwt = await sign({ sub: 'u1', exp })
    const { verifier, counter } = counting()
    for (let i = 0; i < 3; i++) expect(await verifier.verify(jwt)).toMatchObject({ userId: 'u1' })
    expect(counter.lookups).toBe(1)
    // Expired with 5 s of skew allowed: good until (exp + 5) s, refused from then on, as uncached.
    vi.setSystemTime((exp + 5) * 1000 - 1)
    expect((await verifier.verify(jwt)).userId).toBe('u1')
    expect(counter.lookups).toBe(1)
    vi.setSystemTime((exp + 5) * 1000)
    await expect(verifier.verify(jwt)).rejects.toMatchObject({ status: 401, detail: 'token expired' })
    await expect(counting().verifier.verify(jwt)).rejects.toMatchObject({ detail: 'token expired' })
  })

  it('checks a long-lived token again after a minute, and another token on its own', async () => {
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(T0)
    const jwt = await sign({ sub: 'u1', exp: T0 / 1000 + 86_400 })
    const { verifier, counter } = counting()
    await verifier.verify(jwt)
    vi.setSystemTime(T0 + 59_999)
    await verifier.verify(jwt)
    expect(counter.lookups).toBe(1)
    vi.setSystemTime(T0 + 60_000)
    await verifier.verify(jwt)
    expect(counter.lookups).toBe(2)
    expect((await verifier.verify(await sign({ sub: 'u2', exp: T0 / 1000 + 86_400 }))).userId).toBe('u2')
    expect(counter.lookups).toBe(3)
  })

  it('never remembers a refusal: a token not yet valid is accepted once its time comes', async () => {
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(T0)
    const jwt = await sign({ sub: 'u1', nbf: T0 / 1000 + 60 })
    const { verifier } = counting()
    await expect(verifier.verify(jwt)).rejects.toMatchObject({ detail: 'token not yet valid' })
    vi.setSystemTime(T0 + 60_000)
    expect((await verifier.verify(jwt)).userId).toBe('u1')
  })

  it('a token that differs by one character is checked, and refused', async () => {
    const jwt = await sign({ sub: 'u1', exp: Math.floor(Date.now() / 1000) + 60 })
    const { verifier, counter } = counting()
    await verifier.verify(jwt)
    const tampered = `${jwt.slice(0, -2)}${jwt.at(-2) === 'A' ? 'B' : 'A'}${jwt.at(-1)}`
    await expect(verifier.verify(tampered)).rejects.toMatchObject({ status: 401 })
    expect(counter.lookups).toBe(2)
  })

  it('remembers at most maxEntries tokens, the most recently used', async () => {
    const exp = Math.floor(Date.now() / 1000) + 60
    const [a, b, c] = await Promise.all(['a', 'b', 'c'].map((sub) => sign({ sub, exp })))
    const { verifier, counter } = counting({ verifiedTokens: { maxEntries: 2 } })
    for (const jwt of [a, b, a, c]) await verifier.verify(jwt as string)
    expect(counter.lookups).toBe(3)
    await verifier.verify(a as string) // kept: used after b
    expect(counter.lookups).toBe(3)
    await verifier.verify(b as string) // forgotten for c
    expect(counter.lookups).toBe(4)
    const uncached = counting({ verifiedTokens: { maxEntries: 0 } })
    for (let i = 0; i < 3; i++) await uncached.verifier.verify(a as string)
    expect(uncached.counter.lookups).toBe(3)
  })
})
