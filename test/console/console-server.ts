/**
 * @module The real app for the browser tests: the embedded backend with the fixtures, one hostile
 * message from u2 to u1, served by the project's own server on an ephemeral port.
 */
import { createMemoryBackend } from '../../adapters/memory/index.ts'
import { MemoryRecordStore } from '../../adapters/memory/record-store.ts'
import { buildApp } from '../../src/build-app.ts'
import { signToken } from '../../src/http/dev-tokens.ts'
import { type RunningServer, serve } from '../../src/http/server.ts'
import { createLogger } from '../../src/logger.ts'
import type { SearchBackend } from '../../src/ports/search-backend.ts'
import { loadFixtures } from '../../src/services/fixtures-loader.ts'

export const SECRET = 'console-browser-secret-0123456789-abcdef'

/** A message whose content is markup that would run script if it were ever injected as HTML. */
export const HOSTILE = {
  messageId: 'm-console-hostile',
  conversationId: 'dm:u1:u2',
  senderId: 'u2',
  recipients: ['u1'],
  content: '<img src=x onerror=alert(1)> 恶意 hostile <b>bold</b> &amp;',
}

export interface ConsoleServer {
  server: RunningServer
  /** `http://127.0.0.1:port/` */
  url: string
  /**
   * While true, a reindex stops after its first page of documents until it is cancelled, so a
   * test sees it running (the fixtures alone rebuild faster than a person can press Cancel).
   */
  holdRebuilds: boolean
}

/** `backend` whose rebuilds wait after their first page while `held()` says so, until aborted. */
function holdingRebuilds(backend: SearchBackend, held: () => boolean): SearchBackend {
  const rebuild: SearchBackend['rebuild'] = (index, options) => {
    const { signal } = options
    async function* documents() {
      for await (const page of options.documents()) {
        yield page
        if (held() && signal && !signal.aborted)
          await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }))
      }
    }
    return backend.rebuild(index, { ...options, documents })
  }
  return new Proxy(backend, {
    get(target, property) {
      if (property === 'rebuild') return rebuild
      const value = Reflect.get(target, property, target)
      // Methods run on the backend itself, whose private fields a proxy cannot reach.
      return typeof value === 'function' ? value.bind(target) : value
    },
  })
}

/** Starts the app; `isProduction` decides whether the console mints development tokens. */
export async function startConsoleServer(isProduction: boolean): Promise<ConsoleServer> {
  const logger = createLogger({ level: 'silent' })
  const store = new MemoryRecordStore()
  const backend = createMemoryBackend()
  const running = { holdRebuilds: false }
  const { app } = buildApp({
    config: { auth: { jwtSecret: SECRET }, rateLimitPerMinute: undefined, cursorSecret: 'c', isProduction },
    logger,
    store,
    backend: holdingRebuilds(backend, () => running.holdRebuilds),
  })
  await loadFixtures('fixtures', { store, backend })
  const ingest = await signToken({ secret: SECRET, sub: 'ingestor', scopes: ['ingest'] })
  const posted = await app.request('/v1/messages', {
    method: 'POST',
    headers: { authorization: `Bearer ${ingest}`, 'content-type': 'application/json' },
    body: JSON.stringify(HOSTILE),
  })
  if (posted.status !== 201)
    throw new Error(`hostile message not stored: ${posted.status} ${await posted.text()}`)
  const server = serve(app, { host: '127.0.0.1', port: 0 }, { logger, handleSignals: false })
  const url = await server.url
  return Object.assign(running, { server, url })
}
