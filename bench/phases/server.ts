/**
 * @module A real HTTP server on 127.0.0.1 (an ephemeral port) over the given ports: `buildApp` +
 * `serve`, the access log at info level into /dev/null (logging costs what it costs in
 * production, without touching stdout). Each line is written at once, as production's stdout
 * destination hands it to a pipe (libuv tries the write straight away): sonic-boom's asynchronous
 * mode would add a thread-pool hand-off per line that production does not pay.
 */
import { pino } from 'pino'
import { buildApp } from '../../src/build-app.ts'
import type { Scope } from '../../src/http/context.ts'
import { type RunningServer, serve, signToken } from '../../src/http/index.ts'
import { createLogger } from '../../src/logger.ts'
import type { RecordScanner, RecordStore } from '../../src/ports/record-store.ts'
import type { SearchBackend } from '../../src/ports/search-backend.ts'
import type { Services } from '../../src/services/index.ts'

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
    destination: pino.destination({ dest: '/dev/null', sync: true }),
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
