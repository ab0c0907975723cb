/**
 * @module The one place that wires the service: configuration → adapters → services → HTTP.
 * `npm start` runs it: the embedded backend with the fixtures, and tokens to paste.
 */
import { BYTES_PER_RECORD, createMemoryBackend } from '../adapters/memory/index.ts'
import { LmdbRecordStore } from '../adapters/memory/lmdb-record-store.ts'
import { MemoryRecordStore } from '../adapters/memory/record-store.ts'
import {
  createTablestoreBackend,
  createTablestoreJobStore,
  createTablestoreRecordStore,
} from '../adapters/tablestore/index.ts'
import { buildApp } from './build-app.ts'
import { type Config, ConfigError, describeConfig, loadConfig } from './config.ts'
import { createMetrics, DEV_USER, devTokenBanner, serve, withDevSecret } from './http/index.ts'
import { stdoutDestination } from './log-destination.ts'
import { createLogger, type Logger } from './logger.ts'
import type { JobStore } from './ports/job-store.ts'
import type { RecordScanner, RecordStore } from './ports/record-store.ts'
import type { SearchBackend } from './ports/search-backend.ts'
import { loadFixtures } from './services/fixtures-loader.ts'
import { buildIndexes } from './services/index-builder.ts'
import { assertMemoryFits, currentLimits, requiredBytes } from './services/memory-budget.ts'

interface Adapters {
  store: RecordStore & RecordScanner
  backend: SearchBackend
  /** Durable reindex jobs; absent: kept in memory for this process. */
  jobs?: JobStore
  /** When a running reindex job without a heartbeat is abandoned: 0 when no other process shares `jobs`. */
  reindexStaleAfterMs: number
}

/**
 * Tablestore: tables and search indexes persist (created by `npm run tablestore:setup`).
 * Embedded: records in LMDB under the data dir (or in memory), indexes rebuilt in memory.
 */
async function adapters(config: Config, logger: Logger): Promise<Adapters> {
  if (config.backend === 'tablestore') {
    // loadConfig refuses `tablestore` without the four TABLESTORE_* settings.
    const options = config.tablestore as NonNullable<Config['tablestore']>
    return {
      store: createTablestoreRecordStore(options),
      // A rebuild marker in the shared row is abandoned after the same bound as a reindex job.
      backend: createTablestoreBackend({ ...options, rebuildStaleMs: config.reindexStaleMs }),
      // Replicas share the jobs: one another replica runs is alive while its heartbeat is fresh.
      jobs: createTablestoreJobStore(options),
      reindexStaleAfterMs: config.reindexStaleMs,
    }
  }
  const durable = config.dataDir === ':memory:' ? undefined : new LmdbRecordStore(config.dataDir)
  const store = durable ?? new MemoryRecordStore()
  // Refused before loading, not by a heap-limit abort minutes into the rebuild (issue 15).
  const limits = currentLimits()
  const required = assertMemoryFits(requiredBytes(await store.counts(), BYTES_PER_RECORD), limits)
  logger.info({ requiredBytes: required, ...limits }, 'the data dir fits in memory')
  const backend = createMemoryBackend()
  const started = Date.now()
  const counts = await buildIndexes(store, backend)
  logger.info(
    { counts, ms: Date.now() - started, dataDir: config.dataDir },
    'search indexes built from the record store',
  )
  // One process owns the data dir: a job still `running` there at start was interrupted.
  return { store, backend, jobs: durable, reindexStaleAfterMs: 0 }
}

async function main(): Promise<void> {
  let base: Config
  try {
    base = loadConfig()
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message)
      process.exit(1)
    }
    throw error
  }
  const { config, generated } = withDevSecret(base)
  const logger = createLogger({ level: config.logLevel })
  // A closed stderr (the parent went away) must not turn a stray warning into a crash; stdout's
  // listener is the log destination's.
  process.stderr.on('error', () => {})
  logger.info({ config: describeConfig(config) }, 'starting')

  const { store, backend, jobs, reindexStaleAfterMs } = await adapters(config, logger)
  let loaded = config.fixturesDir === null
  const { app, services } = buildApp({
    config,
    logger,
    store,
    backend,
    metrics: createMetrics({ defaultMetrics: true }),
    jobs,
    reindexStaleAfterMs,
    namesTtlMs: config.namesTtlMs,
    ready: () => loaded && !running.shuttingDown,
  })
  const running = serve(app, config, {
    logger,
    shutdownTimeoutMs: config.shutdownTimeoutMs,
    onShutdown: async () => {
      await services.reindexer.stopAll()
      // Requests cut at the timeout were never acknowledged, but their index tasks may still be running.
      await services.queue.idle()
      services.queue.close()
      await backend.close()
      await store.close()
    },
    flushLogs: (timeoutMs) => stdoutDestination().drain(timeoutMs),
  })
  const url = await running.url
  const interrupted = await services.reindexer.recoverInterrupted()
  if (interrupted > 0)
    logger.warn({ jobs: interrupted }, 'reindex jobs interrupted by the last stop were marked failed')

  if (config.fixturesDir !== null) {
    const empty =
      (await backend.stats('users')).documents === 0 && (await backend.stats('messages')).documents === 0
    if (empty) {
      const started = Date.now()
      const counts = await loadFixtures(config.fixturesDir, { store, backend })
      logger.info({ counts, ms: Date.now() - started, from: config.fixturesDir }, 'fixtures loaded')
    }
    loaded = true
  }
  process.stdout.write(
    `\nim-search is serving ${url} (backend: ${backend.name}); API reference: ${url}docs\n\n`,
  )
  if (generated && config.auth.jwtSecret) {
    process.stdout.write(
      await devTokenBanner({ secret: config.auth.jwtSecret, baseUrl: url, userId: DEV_USER }),
    )
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error)
  process.exit(1)
})
