/**
 * @module The HTTP thread: node's HTTP server, Hono, JSON, zod and token checks run here, while
 * the main thread keeps the services and the search engine. A search's own work then shares no
 * thread with the parsing and formatting around it, so on a machine with a second core the engine
 * is busy with searches only (issue 15: the HTTP share of the in-process throughput).
 */
import { createWriteStream } from 'node:fs'
import { parentPort, workerData } from 'node:worker_threads'
import { buildHttpApp, type ServiceSide } from '../build-app.ts'
import { createMetrics, type Metrics, serve } from '../http/index.ts'
import { LOG_FLUSH_MS } from '../http/server.ts'
import { stdoutDestination, streamDestination } from '../log-destination.ts'
import { createLogger } from '../logger.ts'
import { callsTo } from '../threads/cross-thread-calls.ts'
import { problemOf } from './problem-transport.ts'
import type { FromFront, FrontWorkerData, ToFront } from './protocol.ts'

const port = parentPort
if (!port) throw new Error('front-worker.ts runs as a worker thread (see serve-in-worker.ts)')
const { settings, calls, shutdownTimeoutMs } = workerData as FrontWorkerData
const tell = (message: FromFront) => port.postMessage(message)

const side = callsTo<ServiceSide>(calls, problemOf)
const destination = settings.logPath
  ? streamDestination({ stream: createWriteStream(settings.logPath, { flags: 'a' }) })
  : stdoutDestination()
// Its lines say they come from this thread: both threads log the shutdown's steps.
const logger = createLogger({
  level: settings.logLevel,
  destination,
  base: { service: 'im-search', thread: 'http' },
})

// This thread's request metrics, followed by the service side's gauges and process figures.
const own = createMetrics()
const metrics: Metrics = {
  ...own,
  async render() {
    const [mine, theirs] = await Promise.all([own.render(), side.metricsText()])
    return { contentType: mine.contentType, body: mine.body + theirs }
  },
}

const app = buildHttpApp({ config: settings.app, logger, side, metrics })
const running = serve(app, settings.listen, { logger, handleSignals: false, shutdownTimeoutMs })
running.url.then(
  (url) => tell({ kind: 'listening', url }),
  (error: NodeJS.ErrnoException) => tell({ kind: 'listen-failed', message: error.message, code: error.code }),
)

port.on('message', (message: ToFront) => {
  if (message.kind !== 'close') return
  running
    .close()
    .catch((error: unknown) => logger.error({ err: error }, 'closing the HTTP server failed'))
    .then(() => destination.drain(LOG_FLUSH_MS))
    .then(() => tell({ kind: 'closed' }))
})
