/** @module A child process for the SIGTERM test: serves an app with a slow route, then waits for signals. */
import { createApp } from '../../../src/http/app.ts'
import { createAuthVerifier } from '../../../src/http/auth.ts'
import { serve } from '../../../src/http/server.ts'
import { createLogger } from '../../../src/logger.ts'

const logger = createLogger({ level: 'info', destination: process.stderr })
const app = createApp({ config: { rateLimitPerMinute: undefined }, logger, verifier: createAuthVerifier({}) })
app.get('/slow', async (c) => {
  // The test sends SIGTERM once it reads this: the request is then surely in flight.
  process.stdout.write('slow started\n')
  await new Promise((resolve) => setTimeout(resolve, 500))
  return c.json({ finished: true })
})
const running = serve(
  app,
  { host: '127.0.0.1', port: 0 },
  {
    logger,
    onShutdown: () => {
      process.stdout.write('backend closed\n')
    },
  },
)
process.stdout.write(`listening ${await running.url}\n`)
