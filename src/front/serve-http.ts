/** @module Serves the HTTP app over the service side from the thread the configuration names. */
import { buildHttpApp, type ServiceSide } from '../build-app.ts'
import type { Config } from '../config.ts'
import {
  createMetrics,
  type Metrics,
  type MetricsOptions,
  type RunningServer,
  type ServeOptions,
  serve,
} from '../http/index.ts'
import type { FrontSettings } from './protocol.ts'
import { serveInWorker } from './serve-in-worker.ts'

/** What {@link serveHttp} serves. */
export interface HttpService {
  side: ServiceSide
  /** The service side's metrics: served as they are in the main thread, after the HTTP thread's own in a worker. */
  metrics: Metrics
  settings: FrontSettings
}

/**
 * The service side's metrics for serving from `thread`: they count requests only when this thread
 * serves them; the HTTP thread counts its own (one exposition names each metric once).
 */
export function serviceSideMetrics(
  thread: Config['httpThread'],
  options: Omit<MetricsOptions, 'requests'> = {},
): Metrics {
  return createMetrics({ ...options, requests: thread === 'main' })
}

/** `worker`: the HTTP thread (`serveInWorker`); `main`: this thread (`serve`), logging to `options.logger`. */
export function serveHttp(
  thread: Config['httpThread'],
  { side, metrics, settings }: HttpService,
  options: ServeOptions,
): RunningServer {
  if (thread === 'worker') return serveInWorker(side, settings, options)
  const app = buildHttpApp({ config: settings.app, logger: options.logger, side, metrics })
  return serve(app, settings.listen, options)
}
