/**
 * @module Route-test harness: the real app over the embedded ports (or, with `tablestore`, over the
 * Tablestore adapter on an emulator), tokens for any caller, and a `call` helper that goes through
 * `app.request()` and reads the answer back as JSON.
 */
import { expect } from 'vitest'
import { createMemoryBackend } from '../../adapters/memory/index.ts'
import { MemoryRecordStore } from '../../adapters/memory/record-store.ts'
import { createTablestoreBackend, createTablestoreRecordStore } from '../../adapters/tablestore/index.ts'
import type { RunningEmulator } from '../../emulator/index.ts'
import { buildApp } from '../../src/build-app.ts'
import type { Scope } from '../../src/http/context.ts'
import { signToken } from '../../src/http/dev-tokens.ts'
import { createLogger } from '../../src/logger.ts'
import type { RecordScanner, RecordStore } from '../../src/ports/record-store.ts'
import type { SearchBackend } from '../../src/ports/search-backend.ts'
import { loadFixtures } from '../../src/services/fixtures-loader.ts'
import { emulatorOptions } from '../tablestore/emulator-options.ts'

export const JWT_SECRET = 'route-tests-secret-0123456789-abcdefghij'
export const PROBLEM_JSON = 'application/problem+json'

export interface Reply<T = unknown> {
  status: number
  contentType: string
  // biome-ignore lint/suspicious/noExplicitAny: test bodies are asserted field by field.
  body: T extends unknown ? any : T
  headers: Headers
}

export interface CallInit {
  /** A caller id (token with `scopes`), a raw token string via `rawToken`, or no token at all. */
  as?: string
  scopes?: readonly Scope[]
  rawToken?: string
  body?: unknown
  headers?: Record<string, string>
}

export interface Harness {
  app: ReturnType<typeof buildApp>['app']
  /** A `MemoryRecordStore` unless the harness runs on Tablestore. */
  store: RecordStore & RecordScanner
  backend: SearchBackend
  /** Waits until every acknowledged write is searchable (Tablestore's index lag); a no-op on memory. */
  settle(): Promise<void>
  /** Sets the ingestion clock (epoch ms); starts at 2025-01-01T00:00:00Z. */
  setNow(ms: number): void
  token(sub: string, scopes?: readonly Scope[]): Promise<string>
  call(method: string, path: string, init?: CallInit): Promise<Reply>
  /** `call` with scope `ingest` as the ingestion service account `ingestor`. */
  ingest(method: string, path: string, body?: unknown): Promise<Reply>
  /** `GET` with scope `search` as `caller`. */
  get(caller: string, path: string): Promise<Reply>
}

export const T0 = Date.UTC(2025, 0, 1)

export interface HarnessOptions {
  /** Wraps the embedded backend, e.g. to make it fail. */
  backend?: (inner: SearchBackend) => SearchBackend
  /** @default undefined (no limit) */
  rateLimitPerMinute?: number
  /**
   * Run on the Tablestore adapter (record store and search backend) against this emulator, in
   * tables of a fresh prefix, so that every harness starts empty. @default the embedded ports
   */
  tablestore?: RunningEmulator
}

interface Ports {
  store: RecordStore & RecordScanner
  inner: SearchBackend
  settle: () => Promise<void>
}

let tablePrefixes = 0

function ports(emulator: RunningEmulator | undefined): Ports {
  if (!emulator)
    return { store: new MemoryRecordStore(), inner: createMemoryBackend(), settle: async () => {} }
  const options = emulatorOptions(emulator, `h${process.pid}_${++tablePrefixes}_`)
  const backend = createTablestoreBackend(options)
  return {
    store: createTablestoreRecordStore(options),
    inner: backend,
    settle: () => backend.settle(),
  }
}

/** Both backends by name, for `describe.each`: the embedded one, and Tablestore on `emulator`. */
export function eachBackend(emulator: () => RunningEmulator): [string, () => Harness][] {
  return [
    ['memory', () => createHarness()],
    ['tablestore', () => createHarness({ tablestore: emulator() })],
  ]
}

export function createHarness(options: HarnessOptions = {}): Harness {
  let clock = T0
  const { store, inner, settle } = ports(options.tablestore)
  const backend = options.backend ? options.backend(inner) : inner
  const { app } = buildApp({
    config: {
      auth: { jwtSecret: JWT_SECRET },
      rateLimitPerMinute: options.rateLimitPerMinute,
      cursorSecret: 'test',
    },
    logger: createLogger({ level: 'silent' }),
    store,
    backend,
    now: () => clock,
  })
  const tokens = new Map<string, Promise<string>>()
  const token = (sub: string, scopes: readonly Scope[] = ['search']) => {
    const key = `${sub} ${scopes.join(' ')}`
    let t = tokens.get(key)
    if (!t) {
      t = signToken({ secret: JWT_SECRET, sub, scopes })
      tokens.set(key, t)
    }
    return t
  }
  const call = async (method: string, path: string, init: CallInit = {}): Promise<Reply> => {
    const headers: Record<string, string> = { ...init.headers }
    const bearer = init.rawToken ?? (init.as ? await token(init.as, init.scopes ?? ['search']) : undefined)
    if (bearer !== undefined) headers.authorization = `Bearer ${bearer}`
    let body: string | undefined
    if (init.body !== undefined) {
      body = typeof init.body === 'string' ? init.body : JSON.stringify(init.body)
      headers['content-type'] ??= 'application/json'
    }
    const res = await app.request(path, { method, headers, body })
    const contentType = res.headers.get('content-type') ?? ''
    const text = await res.text()
    const parsed = text.length > 0 && /json/.test(contentType) ? JSON.parse(text) : text
    return { status: res.status, contentType, body: parsed, headers: res.headers }
  }
  return {
    app,
    store,
    backend,
    settle,
    setNow: (ms) => {
      clock = ms
    },
    token,
    call,
    ingest: (method, path, body) => call(method, path, { as: 'ingestor', scopes: ['ingest'], body }),
    get: (caller, path) => call('GET', path, { as: caller }),
  }
}

/** A harness with the real fixture set loaded (about half a second). */
export async function createFixtureHarness(): Promise<Harness> {
  const h = createHarness()
  await loadFixtures('fixtures', { store: h.store, backend: h.backend })
  return h
}

/** Asserts a 2xx JSON answer with `status`, and returns its body. */
// biome-ignore lint/suspicious/noExplicitAny: see Reply.body.
export function expectJson(reply: Reply, status: number): any {
  expect(reply.status, JSON.stringify(reply.body)).toBe(status)
  expect(reply.contentType).toMatch(/^application\/json/)
  return reply.body
}

/** Asserts an RFC 9457 problem with `status`; returns the problem document. */
// biome-ignore lint/suspicious/noExplicitAny: see Reply.body.
export function expectProblem(reply: Reply, status: number, errorPath?: string | RegExp): any {
  expect(reply.status, JSON.stringify(reply.body)).toBe(status)
  expect(reply.contentType).toMatch(/^application\/problem\+json/)
  const p = reply.body
  expect(p).toMatchObject({ status, type: expect.any(String), title: expect.any(String) })
  expect(typeof p.detail).toBe('string')
  if (errorPath !== undefined) {
    const paths: string[] = (p.errors ?? []).map((e: { path: string }) => e.path)
    expect(
      paths.some((x) => (typeof errorPath === 'string' ? x === errorPath : errorPath.test(x))),
      `errors ${JSON.stringify(p.errors)} should name ${errorPath}`,
    ).toBe(true)
  }
  return p
}

export const qs = (params: Record<string, string | number | readonly string[] | undefined>): string => {
  const sp = new URLSearchParams()
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined) continue
    if (Array.isArray(v)) for (const x of v) sp.append(k, x)
    else sp.append(k, String(v))
  }
  const s = sp.toString()
  return s ? `?${s}` : ''
}
