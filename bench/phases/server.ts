/**
 * @module A real HTTP server on 127.0.0.1 (an ephemeral port) over the given ports, served as
 * `npm start` serves (from the HTTP thread unless told otherwise: `serveHttp`). The access log is
 * at info level into /dev/null (logging costs what it costs in production, without touching
 * stdout). In this thread it goes through `streamDestination` over a stdout-like stream, so lines
 * are batched a turn at a time and written a system call a batch, as `npm start`'s
 * `stdoutDestination` writes them (a write a line, as sonic-boom's synchronous mode makes, cost the
 * bench's server about 15 µs a request on a busy machine that production does not pay); the HTTP
 * thread writes its lines to /dev/null through a file stream.
 */
import { buildServiceSide } from '../../src/build-app.ts'
import type { Config } from '../../src/config.ts'
import { serveHttp, serviceSideMetrics } from '../../src/front/serve-http.ts'
import type { Scope } from '../../src/http/context.ts'
import { type RunningServer, signToken } from '../../src/http/index.ts'
import type { RunningNodeServer } from '../../src/http/server.ts'
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
  /** The thread that serves HTTP. */
  thread: Config['httpThread']
  /** `RunningNodeServer` with `thread: 'main'`. */
  running: RunningServer | RunningNodeServer
  token(sub: string, scopes: readonly Scope[]): Promise<string>
  close(): Promise<void>
}

export interface BenchServerOptions {
  now?: () => number
  /** Which thread serves HTTP, as `IMSEARCH_HTTP_THREAD`. @default 'worker', as `npm start` serves */
  thread?: Config['httpThread']
}

export async function startServer(
  store: RecordStore & RecordScanner,
  backend: SearchBackend,
  options: BenchServerOptions = {},
): Promise<BenchServer> {
  const thread = options.thread ?? 'worker'
  const logger = createLogger({
    level: 'info',
    destination: streamDestination({ stream: stdoutLike() }),
  })
  const config = {
    auth: { jwtSecret: JWT_SECRET },
    rateLimitPerMinute: undefined,
    cursorSecret: 'bench-cursor-secret',
  }
  const { services, side, metrics } = buildServiceSide({
    config,
    logger,
    store,
    backend,
    metrics: serviceSideMetrics(thread),
    ...(options.now ? { now: options.now } : {}),
  })
  const running = serveHttp(
    thread,
    {
      side,
      metrics,
      // The HTTP thread's access log goes to /dev/null through a file stream of its own.
      settings: {
        app: config,
        listen: { host: '127.0.0.1', port: 0 },
        logLevel: 'info',
        logPath: '/dev/null',
      },
    },
    { logger, handleSignals: false, shutdownTimeoutMs: 2000 },
  )
  const url = (await running.url).replace(/\/$/, '')
  return {
    url,
    services,
    thread,
    running,
    token: (sub, scopes) => signToken({ secret: JWT_SECRET, sub, scopes, expiresIn: '2h' }),
    close: () => running.close(),
  }
}
