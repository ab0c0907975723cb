import { describe, expect, it } from 'vitest'
import { ConfigError, describeConfig, loadConfig } from '../../src/config.ts'

function issuesOf(env: Record<string, string>) {
  try {
    loadConfig(env)
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError)
    return error as ConfigError
  }
  throw new Error('expected a ConfigError')
}

describe('loadConfig', () => {
  it('applies the documented defaults to an empty environment', () => {
    const config = loadConfig({})
    expect(config).toMatchObject({
      nodeEnv: 'development',
      isProduction: false,
      port: 8080,
      host: '127.0.0.1',
      logLevel: 'info',
      backend: 'memory',
      dataDir: './data',
      fixturesDir: 'fixtures/',
      auth: {},
      rateLimitPerMinute: undefined,
      cursorSecret: undefined,
      tablestore: undefined,
    })
  })

  it('serves HTTP from a thread of its own when the machine has a second core', () => {
    expect(loadConfig({}, 2).httpThread).toBe('worker')
    expect(loadConfig({}, 1).httpThread).toBe('main')
    expect(loadConfig({ IMSEARCH_HTTP_THREAD: 'main' }, 8).httpThread).toBe('main')
    expect(loadConfig({ IMSEARCH_HTTP_THREAD: 'worker' }, 1).httpThread).toBe('worker')
    expect(issuesOf({ IMSEARCH_HTTP_THREAD: 'both' }).issues.map((i) => i.variable)).toEqual([
      'IMSEARCH_HTTP_THREAD',
    ])
  })

  it('coerces numbers and reads every variable', () => {
    const config = loadConfig({
      PORT: '9090',
      HOST: '0.0.0.0',
      IMSEARCH_DATA_DIR: ':memory:',
      IMSEARCH_FIXTURES: 'none',
      IMSEARCH_RATE_LIMIT: '120',
      IMSEARCH_JWT_SECRET: 'x'.repeat(32),
      IMSEARCH_JWKS_URL: 'https://issuer.example/.well-known/jwks.json',
      IMSEARCH_CURSOR_SECRET: 'c'.repeat(16),
      LOG_LEVEL: 'debug',
    })
    expect(config.port).toBe(9090)
    expect(config.host).toBe('0.0.0.0')
    expect(config.dataDir).toBe(':memory:')
    expect(config.fixturesDir).toBeNull()
    expect(config.rateLimitPerMinute).toBe(120)
    expect(config.auth).toEqual({
      jwtSecret: 'x'.repeat(32),
      jwksUrl: 'https://issuer.example/.well-known/jwks.json',
    })
    expect(config.cursorSecret).toBe('c'.repeat(16))
    expect(config.logLevel).toBe('debug')
  })

  it('treats empty values as unset, as a copied .env.example has them', () => {
    const config = loadConfig({ PORT: '', IMSEARCH_JWT_SECRET: '  ', TABLESTORE_ENDPOINT: '' })
    expect(config.port).toBe(8080)
    expect(config.auth).toEqual({})
  })

  it('names each bad variable, all at once', () => {
    const error = issuesOf({
      PORT: 'eighty',
      IMSEARCH_BACKEND: 'postgres',
      IMSEARCH_RATE_LIMIT: '-1',
      LOG_LEVEL: 'loud',
      IMSEARCH_JWT_SECRET: 'short',
      IMSEARCH_JWKS_URL: 'not a url',
    })
    expect(error.issues.map((i) => i.variable).sort()).toEqual([
      'IMSEARCH_BACKEND',
      'IMSEARCH_JWKS_URL',
      'IMSEARCH_JWT_SECRET',
      'IMSEARCH_RATE_LIMIT',
      'LOG_LEVEL',
      'PORT',
    ])
    expect(error.message).toContain('PORT:')
    expect(error.message).toContain('IMSEARCH_BACKEND:')
    // The message names the variable but never echoes a secret's value.
    expect(error.message).not.toContain('short')
  })

  it('refuses a port out of range', () => {
    expect(issuesOf({ PORT: '70000' }).issues[0]?.variable).toBe('PORT')
  })

  it('refuses to start in production without a key source', () => {
    const error = issuesOf({ NODE_ENV: 'production' })
    expect(error.issues.map((i) => i.variable)).toEqual(['IMSEARCH_JWT_SECRET', 'IMSEARCH_JWKS_URL'])
    expect(error.message).toMatch(/production/)
  })

  it('starts in production with either key source', () => {
    expect(loadConfig({ NODE_ENV: 'production', IMSEARCH_JWT_SECRET: 'k'.repeat(40) }).isProduction).toBe(
      true,
    )
    expect(
      loadConfig({ NODE_ENV: 'production', IMSEARCH_JWKS_URL: 'https://issuer.example/jwks' }).auth.jwksUrl,
    ).toBe('https://issuer.example/jwks')
  })

  it('requires all Tablestore settings for the tablestore backend', () => {
    const error = issuesOf({ IMSEARCH_BACKEND: 'tablestore', TABLESTORE_INSTANCE: 'im' })
    expect(error.issues.map((i) => i.variable).sort()).toEqual([
      'TABLESTORE_ACCESS_KEY_ID',
      'TABLESTORE_ACCESS_KEY_SECRET',
      'TABLESTORE_ENDPOINT',
    ])
    const config = loadConfig({
      IMSEARCH_BACKEND: 'tablestore',
      TABLESTORE_ENDPOINT: 'https://im.cn-hangzhou.ots.aliyuncs.com',
      TABLESTORE_INSTANCE: 'im',
      TABLESTORE_ACCESS_KEY_ID: 'id',
      TABLESTORE_ACCESS_KEY_SECRET: 'very-secret',
    })
    expect(config.tablestore?.instance).toBe('im')
    expect(JSON.stringify(describeConfig(config))).not.toContain('very-secret')
  })

  it('does not require Tablestore settings for the memory backend', () => {
    expect(loadConfig({ TABLESTORE_INSTANCE: 'im' }).tablestore).toBeUndefined()
  })

  it('describeConfig never contains secrets', () => {
    const config = loadConfig({ IMSEARCH_JWT_SECRET: 's'.repeat(40), IMSEARCH_CURSOR_SECRET: 'c'.repeat(20) })
    const text = JSON.stringify(describeConfig(config))
    expect(text).not.toContain('s'.repeat(40))
    expect(text).not.toContain('c'.repeat(20))
  })
})
