/**
 * @module A real HTTP server on 127.0.0.1 (an ephemeral port) over the given ports: `buildApp` +
 * `serve`, the access log at info level into /dev/null (logging costs what it costs in
 * production, without touching stdout): through `streamDestination` over a stdout-like stream, so
 * lines are batched a turn at a time and written a system call a batch, as `npm start`'s
 * `stdoutDestination` writes them (a write a line, as sonic-boom's synchronous mode makes, cost the
 * bench's server about 15 µs a request on a busy machine that production does not pay).
 */
import { buildApp } from '../../src/build-app.ts'
import type { Scope } from '../../src/http/context.ts'
import { type RunningServer, serve, signToken } from '../../src/http/index.ts'
import { streamDestination } from '../../src/log-destination.ts'
import { createLogger } from '../../src/logger.ts'
import type { RecordScanner, RecordStore } from '../../src/ports/record-store.ts'
import type { SearchBackend } from '../../src/ports/search-backend.ts'
import type { Services } from '../../src/services/index.ts'
import { stdoutLike } from '../lib/stdout-like.ts'

export const JWT_SECRET = 'bench-secret-0123456789-abcdefghijklmnop'

export interface BenchServer {
  url: string
  services: Services
  running: RunningServer
  token(sub: string, scopes: readonly Scope[]): Promise<string>
  close(): Promise<void>
}

export async function startServer(
  store: RecordStore & RecordScanner,
  backend: SearchBackend,
  now?: () => number,
): Promise<BenchServer> {
  const logger = createLogger({
    level: 'info',
    destination: streamDestination({ stream: stdoutLike() }),
  })
  const { app, services } = buildApp({
    config: {
      auth: { jwtSecret: JWT_SECRET },
      rateLimitPerMinute: undefined,
      cursorSecret: 'bench-cursor-secret',
    },
    logger,
    store,
    backend,
    ...(now ? { now } : {}),
  })
  const running = serve(
    app,
    { host: '127.0.0.1', port: 0 },
    { logger, handleSignals: false, shutdownTimeoutMs: 2000 },
  )
  const url = (await running.url).replace(/\/$/, '')
  return {
    url,
    services,
    running,
    token: (sub, scopes) => signToken({ secret: JWT_SECRET, sub, scopes, expiresIn: '2h' }),
    close: () => running.close(),
  }
}
