/**
 * @module A child process for the log destination's no-lost-lines test: logs through the process's
 * own stdout destination, as main does. `shutdown`: serves, and on SIGTERM logs a burst of lines
 * from `onShutdown` (still gathered, unwritten, when the shutdown flushes). `exit`: logs a burst
 * and calls `process.exit` in the same turn.
 */
import { createApp } from '../../../src/http/app.ts'
import { createAuthVerifier } from '../../../src/http/auth.ts'
import { serve } from '../../../src/http/server.ts'
import { stdoutDestination } from '../../../src/log-destination.ts'
import { createLogger } from '../../../src/logger.ts'

const LINES = 2_000
const logger = createLogger({ level: 'info' })
const burst = (phase: string) => {
  for (let line = 0; line < LINES; line++)
    logger.info({ phase, line, text: `第${line}条消息 line ${line}` }, 'burst')
}

if (process.argv[2] === 'exit') {
  burst('exit')
  process.exit(0)
}
const app = createApp({ config: { rateLimitPerMinute: undefined }, logger, verifier: createAuthVerifier({}) })
const running = serve(
  app,
  { host: '127.0.0.1', port: 0 },
  {
    logger,
    onShutdown: () => burst('shutdown'),
    flushLogs: (timeoutMs) => stdoutDestination().drain(timeoutMs),
  },
)
await running.url
stdoutDestination().writePending()
process.stdout.write('listening\n')
