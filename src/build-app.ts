/**
 * @module Builds the HTTP app over any pair of ports. `main.ts` picks the adapters; tests pass
 * the embedded ones. Nothing here knows which backend it runs on.
 */
import type { Config } from './config.ts'
import { consoleRoutes } from './http/console/console-routes.ts'
import { type PickerUser, pickerUsers } from './http/console/dev-session.ts'
import { createApp, createAuthVerifier, createMetrics, DEV_USER, type Metrics } from './http/index.ts'
import { resourceRoutes } from './http/routes/index.ts'
import type { Logger } from './logger.ts'
import type { JobStore } from './ports/job-store.ts'
import type { RecordScanner, RecordStore } from './ports/record-store.ts'
import type { SearchBackend } from './ports/search-backend.ts'
import { INDEX_NAMES } from './query/index-schemas.ts'
import { createServices, type ServiceCalls, type Services } from './services/index.ts'

export interface BuildAppOptions {
  /** `isProduction` must be `false` for the console to mint development tokens (absent counts as production). */
  config: Pick<Config, 'auth' | 'rateLimitPerMinute' | 'cursorSecret'> & { isProduction?: boolean }
  logger: Logger
  store: RecordStore & RecordScanner
  backend: SearchBackend
  /** @default an in-memory job store */
  jobs?: JobStore | undefined
  /** See `ServiceDeps.reindexStaleAfterMs`. */
  reindexStaleAfterMs?: number | undefined
  /** See `ServiceDeps.indexRepairDelayMs`. */
  indexRepairDelayMs?: number | undefined
  /** See `ServiceDeps.namesTtlMs`. */
  namesTtlMs?: number | undefined
  /** @default createMetrics() */
  metrics?: Metrics
  /** Readiness beyond "the backend answers" (fixtures loaded, not shutting down). @default () => true */
  ready?: () => boolean
  now?: () => number
}

/** What the HTTP app needs from the thread that owns the services (this one, or the main thread). */
export interface ServiceSide {
  services: ServiceCalls
  /** Readiness beyond the HTTP layer's own: fixtures loaded, the backend answers, not shutting down. */
  ready(): boolean | Promise<boolean>
  /** The Prometheus text of the service side's metrics (index sizes, process, snapshots). */
  metricsText(): string | Promise<string>
  /** The console picker's users (only called outside production). */
  pickerUsers(): PickerUser[] | Promise<PickerUser[]>
}

/**
 * The services over the ports, with their gauges in `metrics`: the side of the app that owns the
 * data. `buildHttpApp` serves them here, or in the HTTP thread (`src/front`).
 */
export function buildServiceSide(options: BuildAppOptions): {
  services: Services
  side: ServiceSide
  metrics: Metrics
} {
  const { config, store, backend } = options
  const services: Services = createServices({
    store,
    backend,
    jobs: options.jobs,
    reindexStaleAfterMs: options.reindexStaleAfterMs,
    indexRepairDelayMs: options.indexRepairDelayMs,
    namesTtlMs: options.namesTtlMs,
    cursorSecret: config.cursorSecret,
    now: options.now,
  })
  const metrics = options.metrics ?? createMetrics()
  metrics.registerGauge({
    name: 'index_documents',
    help: 'Documents in each search index',
    labelNames: ['index'],
    collect: async () =>
      Promise.all(
        INDEX_NAMES.map(async (index) => ({
          labels: { index },
          value: (await backend.stats(index)).documents,
        })),
      ),
  })
  if (backend.memoryUsage)
    metrics.registerGauge({
      name: 'index_memory_bytes',
      help:
        'Bytes each search index holds in this process, by part (the backend names its parts). ' +
        'exact="true": read from typed arrays; exact="false": an estimate of maps, strings and objects.',
      labelNames: ['index', 'part', 'exact'],
      collect: () =>
        (backend.memoryUsage?.() ?? []).map(({ index, part, bytes, exact }) => ({
          labels: { index, part, exact: String(exact) },
          value: bytes,
        })),
    })
  const ready = options.ready ?? (() => true)
  const side: ServiceSide = {
    services,
    ready: async () => ready() && (await backend.stats('messages')) !== undefined,
    metricsText: async () => (await metrics.render()).body,
    pickerUsers: () => pickerUsers(store),
  }
  return { services, side, metrics }
}

/** Options for {@link buildHttpApp}. */
export interface HttpAppOptions {
  config: BuildAppOptions['config']
  logger: Logger
  side: ServiceSide
  /** The HTTP metrics; their text comes before `side.metricsText()` when they are not the side's own. */
  metrics: Metrics
}

/** The HTTP app over the service side, in whichever thread serves HTTP. */
export function buildHttpApp({ config, logger, side, metrics }: HttpAppOptions) {
  const app = createApp({
    config,
    logger,
    metrics,
    verifier: createAuthVerifier(config.auth),
    routes: resourceRoutes(side.services),
    readiness: () => side.ready(),
  })
  const { jwtSecret } = config.auth
  const dev =
    config.isProduction === false && jwtSecret
      ? { user: DEV_USER, secret: jwtSecret, users: async () => side.pickerUsers() }
      : undefined
  app.route('/', consoleRoutes({ dev }))
  return app
}

/** Both sides in this thread: the services, and the HTTP app over them. */
export function buildApp(options: BuildAppOptions) {
  const { services, side, metrics } = buildServiceSide(options)
  const app = buildHttpApp({ config: options.config, logger: options.logger, side, metrics })
  return { app, services }
}
