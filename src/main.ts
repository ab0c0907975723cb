/**
 * @module The one place that wires the service: configuration → adapters → services → HTTP.
 * `npm start` runs it: the embedded backend with the fixtures, and tokens to paste.
 */
import { join } from 'node:path'
import { BYTES_PER_RECORD, createMemoryBackend } from '../adapters/memory/index.ts'
import { openOwnedStore } from '../adapters/memory/owned-store.ts'
import { MemoryRecordStore } from '../adapters/memory/record-store.ts'
import {
  createTablestoreBackend,
  createTablestoreJobStore,
  createTablestoreRecordStore,
} from '../adapters/tablestore/index.ts'
import { buildServiceSide } from './build-app.ts'
import { type Config, ConfigError, describeConfig, loadConfig } from './config.ts'
import type { FrontSettings } from './front/protocol.ts'
import { serveHttp, serviceSideMetrics } from './front/serve-http.ts'
import { DEV_USER, devTokenBanner, withDevSecret } from './http/index.ts'
import { stdoutDestination } from './log-destination.ts'
import { createLogger, type Logger } from './logger.ts'
import type { ChangeFeed } from './ports/change-feed.ts'
import type { JobStore } from './ports/job-store.ts'
import type { RecordScanner, RecordStore } from './ports/record-store.ts'
import type { SearchBackend } from './ports/search-backend.ts'
import { loadFixtures } from './services/fixtures-loader.ts'
import { IndexSnapshotter } from './services/index-snapshotter.ts'
import { startIndexes } from './services/index-startup.ts'
import { assertMemoryFits, currentLimits, requiredBytes } from './services/memory-budget.ts'

interface Adapters {
  store: RecordStore & RecordScanner
  backend: SearchBackend
  /** Durable reindex jobs; absent: kept in memory for this process. */
  jobs?: JobStore
  /** When a running reindex job without a heartbeat is abandoned: 0 when no other process shares `jobs`. */
  reindexStaleAfterMs: number
  /** The store's change feed, when the backend's indexes are snapshotted (embedded, with a data dir). */
  feed?: ChangeFeed
  /** The store's last change the indexes held once loaded. */
  covered: number
  /** Closes the record store (and gives up the embedded data dir). */
  closeStore(): Promise<void>
}

/** How long the shutdown's last steps may take when they save a snapshot (1M messages: a few seconds). */
const SHUTDOWN_WITH_SNAPSHOT_MS = 30_000

/** Where the embedded backend's index snapshot lives inside the data dir. */
const SNAPSHOT_DIR = 'index-snapshot'

/** Changes replayed between two progress lines at start. */
const REPLAY_LOG_EVERY = 50_000

/**
 * Tablestore: tables and search indexes persist (created by `npm run tablestore:setup`).
 * Embedded: records in LMDB under the data dir (or in memory), indexes rebuilt in memory.
 */
async function adapters(config: Config, logger: Logger): Promise<Adapters> {
  if (config.backend === 'tablestore') {
    // loadConfig refuses `tablestore` without the four TABLESTORE_* settings.
    const options = config.tablestore as NonNullable<Config['tablestore']>
    const store = createTablestoreRecordStore(options)
    return {
      store,
      // A rebuild marker in the shared row is abandoned after the same bound as a reindex job.
      backend: createTablestoreBackend({ ...options, rebuildStaleMs: config.reindexStaleMs }),
      // Replicas share the jobs: one another replica runs is alive while its heartbeat is fresh.
      jobs: createTablestoreJobStore(options),
      reindexStaleAfterMs: config.reindexStaleMs,
      covered: 0,
      closeStore: () => store.close(),
    }
  }
  // One process owns the data dir (a second one opening it can lose the writer's last commit).
  const owned =
    config.dataDir === ':memory:'
      ? undefined
      : await openOwnedStore(config.dataDir, {
          onWaiting: (owner) => logger.warn(owner, 'waiting for the backup that holds the data dir'),
        })
  const durable = owned?.store
  const store = durable ?? new MemoryRecordStore()
  // Refused before loading, not by a heap-limit abort minutes into the rebuild (issue 15).
  const limits = currentLimits()
  const required = assertMemoryFits(requiredBytes(await store.counts(), BYTES_PER_RECORD), limits)
  logger.info({ requiredBytes: required, ...limits }, 'the data dir fits in memory')
  const backend = createMemoryBackend(durable ? { snapshotDir: join(config.dataDir, SNAPSHOT_DIR) } : {})
  const startup = await startIndexes({
    store,
    backend,
    feed: durable,
    onReplayed: (replayed) => {
      if (replayed % REPLAY_LOG_EVERY === 0) logger.info({ replayed }, 'replaying changes since the snapshot')
    },
  })
  logger.info(
    { ...startup, dataDir: config.dataDir },
    startup.mode === 'snapshot'
      ? 'search indexes loaded from the snapshot and brought up to date'
      : 'search indexes built from the record store',
  )
  // One process owns the data dir: a job still `running` there at start was interrupted.
  return {
    store,
    backend,
    jobs: durable,
    reindexStaleAfterMs: 0,
    ...(durable && { feed: durable }),
    covered: startup.covered,
    closeStore: () => (owned ? owned.release() : store.close()),
  }
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

  const { store, backend, jobs, reindexStaleAfterMs, feed, covered, closeStore } = await adapters(
    config,
    logger,
  )
  let loaded = config.fixturesDir === null
  const metrics = serviceSideMetrics(config.httpThread, { defaultMetrics: true })
  const { services, side } = buildServiceSide({
    config,
    logger,
    store,
    backend,
    metrics,
    jobs,
    reindexStaleAfterMs,
    namesTtlMs: config.namesTtlMs,
    ready: () => loaded && !running.shuttingDown,
  })
  const snapshotter =
    feed && backend.snapshots
      ? new IndexSnapshotter({
          snapshots: backend.snapshots,
          feed,
          writes: services.writes,
          queue: services.queue,
          covered,
          policy: config.snapshots,
          onSaved: (saved) => logger.info(saved, 'search indexes saved (snapshot)'),
          onSkipped: (reason) => logger.warn({ reason }, 'index snapshot skipped'),
          onFailed: (error) => logger.error({ err: error }, 'index snapshot failed'),
        })
      : undefined
  if (snapshotter) {
    metrics.registerGauge({
      name: 'index_snapshot_pending_changes',
      help: 'Records changed since the last index snapshot: what the next start replays.',
      collect: () => snapshotter.status().pendingChanges,
    })
    metrics.registerGauge({
      name: 'index_snapshot_age_seconds',
      help: 'Age of the last index snapshot saved by this process (since start when none was).',
      collect: () => snapshotter.status().ageMs / 1000,
    })
  }
  const settings: FrontSettings = {
    app: {
      auth: config.auth,
      rateLimitPerMinute: config.rateLimitPerMinute,
      cursorSecret: config.cursorSecret,
      isProduction: config.isProduction,
    },
    listen: { host: config.host, port: config.port },
    logLevel: config.logLevel,
  }
  const running = serveHttp(
    config.httpThread,
    { side, metrics, settings },
    {
      logger,
      shutdownTimeoutMs: config.shutdownTimeoutMs,
      // Room for the last snapshot; one cut short leaves the previous one, and the next start replays.
      onShutdownTimeoutMs: snapshotter ? SHUTDOWN_WITH_SNAPSHOT_MS : undefined,
      onShutdown: async () => {
        await services.reindexer.stopAll()
        // Requests cut at the timeout were never acknowledged, but their index tasks may still be running.
        await services.queue.idle()
        await snapshotter?.stop()
        services.queue.close()
        await backend.close()
        await closeStore()
      },
      flushLogs: (timeoutMs) => stdoutDestination().drain(timeoutMs),
    },
  )
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
  // After the fixtures: they are written around the write barrier the snapshots wait for.
  snapshotter?.start()
  // The log lines gathered so far go out before the banner, which is written straight to stdout.
  stdoutDestination().writePending()
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
