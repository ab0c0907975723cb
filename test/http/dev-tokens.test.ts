import { spawnSync } from 'node:child_process'
import { describe, expect, it } from 'vitest'
import { typescriptLoader } from '../../loader/index.ts'
import { parseTokenArgs } from '../../src/cli/token.ts'
import { loadConfig } from '../../src/config.ts'
import { createAuthVerifier } from '../../src/http/auth.ts'
import { devTokenBanner, signToken, withDevSecret } from '../../src/http/dev-tokens.ts'
import { SECRET } from './support.ts'

describe('development secret and tokens', () => {
  it('makes a random secret outside production when no key source is set', () => {
    const a = withDevSecret(loadConfig({}))
    const b = withDevSecret(loadConfig({}))
    expect(a.generated).toBe(true)
    expect(a.config.auth.jwtSecret?.length).toBeGreaterThanOrEqual(32)
    expect(a.config.auth.jwtSecret).not.toBe(b.config.auth.jwtSecret)
  })

  it('keeps a configured key source', () => {
    expect(withDevSecret(loadConfig({ IMSEARCH_JWT_SECRET: SECRET }))).toMatchObject({
      generated: false,
      config: { auth: { jwtSecret: SECRET } },
    })
    const jwks = withDevSecret(loadConfig({ IMSEARCH_JWKS_URL: 'https://issuer.example/jwks' }))
    expect(jwks.generated).toBe(false)
    expect(jwks.config.auth.jwtSecret).toBeUndefined()
  })

  it('prints ready-to-paste tokens that the verifier accepts', async () => {
    const { config } = withDevSecret(loadConfig({}))
    const secret = config.auth.jwtSecret!
    const banner = await devTokenBanner({ secret, baseUrl: 'http://127.0.0.1:8080/', userId: 'u1' })
    const tokens = [...banner.matchAll(/export (\w+)=(\S+)/g)].map((m) => [m[1], m[2]] as const)
    expect(tokens.map(([name]) => name)).toEqual(['TOKEN', 'ADMIN_TOKEN'])
    const verifier = createAuthVerifier(config.auth)
    const user = await verifier.verify(tokens[0]![1]!)
    expect(user.userId).toBe('u1')
    expect([...user.scopes]).toEqual(['search', 'ingest'])
    const admin = await verifier.verify(tokens[1]![1]!)
    expect(admin.userId).toBe('admin')
    expect([...admin.scopes]).toEqual(['search', 'ingest', 'admin'])
    expect(banner).toContain('curl -s -H "Authorization: Bearer $TOKEN" \'http://127.0.0.1:8080/v1/')
    expect(banner).toContain('http://127.0.0.1:8080/docs')
  })

  it('signToken sets exp from the time span', async () => {
    const jwt = await signToken({ secret: SECRET, sub: 'u1', scopes: ['search'], expiresIn: '2h' })
    const payload = JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString()) as Record<
      string,
      number
    >
    expect(payload.exp! - payload.iat!).toBe(7200)
  })
})

describe('npm run token', () => {
  it('parses its arguments', () => {
    expect(parseTokenArgs(['--sub', 'u1', '--scope', 'search ingest'])).toEqual({
      sub: 'u1',
      scopes: ['search', 'ingest'],
      expiresIn: '24h',
    })
    expect(parseTokenArgs(['--sub', 'u1', '--expires-in', '7d'])).toMatchObject({
      scopes: ['search'],
      expiresIn: '7d',
    })
    expect(parseTokenArgs(['--help'])).toEqual({ help: true })
    expect(parseTokenArgs([])).toEqual({ error: '--sub is required' })
    expect(parseTokenArgs(['--sub', 'a b'])).toMatchObject({
      error: expect.stringContaining('valid user id'),
    })
    expect(parseTokenArgs(['--sub', 'u1', '--scope', 'search root'])).toMatchObject({
      error: expect.stringContaining('root'),
    })
    expect(parseTokenArgs(['--sub', 'u1', '--expires-in', 'soon'])).toMatchObject({
      error: expect.stringContaining('time span'),
    })
    expect(parseTokenArgs(['--sub', 'u1', '--bogus'])).toHaveProperty('error')
  })

  it('mints a token with the configured secret, and explains when there is none', async () => {
    const run = (env: Record<string, string>) =>
      spawnSync(
        process.execPath,
        [...typescriptLoader, 'src/cli/token.ts', '--sub', 'u1', '--scope', 'search ingest'],
        {
          env: { PATH: process.env.PATH ?? '', ...env },
          encoding: 'utf8',
        },
      )
    const ok = run({ IMSEARCH_JWT_SECRET: SECRET })
    expect(ok.status).toBe(0)
    const caller = await createAuthVerifier({ jwtSecret: SECRET }).verify(ok.stdout.trim())
    expect(caller).toMatchObject({ userId: 'u1' })
    expect([...caller.scopes]).toEqual(['search', 'ingest'])

    const missing = run({})
    expect(missing.status).toBe(1)
    expect(missing.stderr).toContain('IMSEARCH_JWT_SECRET')
  }, 20_000)
})
