/** @module The real Node server over the embedded backend, for the wire-level suites. */
import { createMemoryBackend } from '../../adapters/memory/index.ts'
import { MemoryRecordStore } from '../../adapters/memory/record-store.ts'
import { buildApp } from '../../src/build-app.ts'
import type { Scope } from '../../src/http/context.ts'
import { signToken } from '../../src/http/dev-tokens.ts'
import { type RunningServer, serve } from '../../src/http/server.ts'
import { createLogger, type Logger } from '../../src/logger.ts'

const SECRET = 'wire-tests-secret-0123456789-abcdefghij'

/** A server on a free port; `bearer` signs a token its verifier accepts. */
export interface WireServer {
  readonly running: RunningServer
  readonly url: string
  readonly port: number
  bearer(sub: string, scopes: Scope[]): Promise<string>
  close(): Promise<void>
}

/** Options for {@link startWireServer}. */
export interface WireServerOptions {
  /** The app's logger (the server's own stays silent). @default silent */
  logger?: Logger
  /** @default undefined: no rate limit */
  rateLimitPerMinute?: number
}

export async function startWireServer(options: WireServerOptions = {}): Promise<WireServer> {
  const silent = createLogger({ level: 'silent' })
  const { app } = buildApp({
    config: {
      auth: { jwtSecret: SECRET },
      rateLimitPerMinute: options.rateLimitPerMinute,
      cursorSecret: 'c',
    },
    logger: options.logger ?? silent,
    store: new MemoryRecordStore(),
    backend: createMemoryBackend(),
  })
  const running = serve(app, { host: '127.0.0.1', port: 0 }, { logger: silent, handleSignals: false })
  const url = await running.url
  return {
    running,
    url,
    port: Number(new URL(url).port),
    bearer: async (sub, scopes) => `Bearer ${await signToken({ secret: SECRET, sub, scopes })}`,
    close: () => running.close(),
  }
}
