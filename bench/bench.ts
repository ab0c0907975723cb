/**
 * @module One benchmark run, phase by phase: port ingest (= start-up), our latencies through the
 * services, HTTP load, the side-by-side comparison, HTTP batch ingestion; then the targets.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createServices } from '../src/services/index.ts'
import { corpusOf } from './corpus/index.ts'
import type { BenchOptions } from './lib/args.ts'
import { compareCalibrations } from './lib/calibration.ts'
import { calibrateFresh } from './lib/fresh-calibration.ts'
import { describeMachine } from './lib/machine.ts'
import { settle } from './lib/memory.ts'
import { note } from './lib/progress.ts'
import type { Budget } from './lib/stats.ts'
import { compareEngines, compareOnOwnCorpus } from './phases/compare.ts'
import { measureDataDir } from './phases/data-dir.ts'
import { ingestOverHttp } from './phases/http-ingest.ts'
import { runHttpLoad } from './phases/http-load.ts'
import { runInProcessLoad } from './phases/in-process-load.ts'
import { type MessageLatency, measureDiscovery, measureImQuery, measureMessageQuery } from './phases/ours.ts'
import { pickSearchers } from './phases/pick-users.ts'
import { BATCH, ingestThroughPort, type PortIngest } from './phases/port-ingest.ts'
import { IM_QUERIES, MESSAGE_QUERIES } from './phases/queries.ts'
import { searchMix } from './phases/search-mix.ts'
import { startServer } from './phases/server.ts'
import { type BenchResult, RESULT_SCHEMA } from './report/result.ts'
import { evaluateTargets } from './report/targets.ts'

function budgets(messages: number): { ours: Budget; competitors: Budget } {
  return messages < 10_000
    ? {
        ours: { warmup: 2, minRuns: 5, maxRuns: 50, maxMs: 30 },
        competitors: { warmup: 2, minRuns: 3, maxRuns: 50, maxMs: 30 },
      }
    : {
        ours: { warmup: 20, minRuns: 100, maxRuns: 3000, maxMs: 2000 },
        // Measured alternately with ours (compare.ts): the same warm-up and runs for both sides.
        competitors: { warmup: 20, minRuns: 5, maxRuns: 3000, maxMs: 2000 },
      }
}

export async function runBench(options: BenchOptions): Promise<BenchResult> {
  const began = performance.now()
  const machine = await describeMachine()
  const calibrationStart = await calibrateFresh()
  note(`calibration at the start: ${calibrationStart.ms.toFixed(0)} ms`)
  const corpus = corpusOf(options.messages, options.seed)
  const budget = budgets(options.messages)
  note(`corpus: ${options.messages} messages, ${corpus.users.length} users, ${corpus.groups.length} groups`)

  let port: PortIngest | undefined = await ingestThroughPort(corpus)
  const services = createServices({ store: port.store, backend: port.backend, cursorSecret: 'bench' })
  const searchers = await pickSearchers(corpus, port.visible, services)
  note(`searchers: ${searchers.map((s) => `${s.userId} sees ${(s.share * 100).toFixed(2)}%`).join(', ')}`)
  const messages: MessageLatency[] = []
  for (const searcher of searchers)
    for (const query of MESSAGE_QUERIES)
      messages.push(await measureMessageQuery(services, port.backend, query, searcher, budget.ours))
  for (const searcher of searchers)
    for (const query of IM_QUERIES)
      messages.push(await measureImQuery(services, port.backend, query, searcher, budget.ours))
  const discovery = await measureDiscovery(services, searchers[0]!.userId, budget.ours)
  note('latencies measured; HTTP load next')

  const mix = searchMix(corpus, port.visible, searchers, 48)
  const load = { connections: options.loadConnections, durationSeconds: options.loadSeconds }
  const server = await startServer(port.store, port.backend)
  const overHttp = await runHttpLoad(server, mix, load)
  await server.close()
  const inProcess = await runInProcessLoad(services, mix, load)
  const http = {
    ...overHttp,
    inProcess,
    ofInProcess: Math.round((overHttp.requestsPerSecond / inProcess.searchesPerSecond) * 1000) / 1000,
  }
  note(
    `HTTP: ${http.requestsPerSecond} req/s, p99 ${http.latencyMs.p99} ms; in-process ${inProcess.searchesPerSecond} searches/s (HTTP keeps ${(http.ofInProcess * 100).toFixed(0)}%)`,
  )

  const main = port
  const sameN = options.compareMessages === options.messages
  if (!sameN) port = undefined
  settle()
  const comparison = sameN
    ? await compareEngines(corpus, main, budget)
    : await compareOnOwnCorpus(corpusOf(options.compareMessages, options.seed), budget)
  port = undefined
  settle()
  const httpIngest = await ingestOverHttp(corpus, options.httpIngestMessages)
  settle()
  const durableDir = await mkdtemp(join(tmpdir(), 'im-search-bench-http-'))
  const httpDurableIngest = await ingestOverHttp(corpus, options.httpIngestMessages, durableDir).finally(() =>
    rm(durableDir, { recursive: true, force: true }),
  )
  note(
    `HTTP batch ingest: ${httpIngest.messagesPerSecond} msg/s in memory, ${httpDurableIngest.messagesPerSecond} durable`,
  )
  settle()
  const dataDir = await measureDataDir(corpus)
  note(
    `data dir: ${dataDir.bytes} bytes; start-up from it ${dataDir.startupSeconds} s with the snapshot, ${dataDir.coldStartupSeconds} s without`,
  )
  settle()
  const calibration = compareCalibrations(calibrationStart, await calibrateFresh())
  note(
    `calibration at the end: ${calibration.end.ms.toFixed(0)} ms (${(calibration.spread * 100).toFixed(1)}% apart${calibration.disturbed ? ': DISTURBED' : ''})`,
  )

  const rebuildFromMemorySeconds = main.populationSeconds + main.indexSeconds
  const targets = evaluateTargets({
    messages: options.messages,
    queries: messages,
    discovery,
    comparison,
    ingestPerSecond: main.messagesPerSecond,
    durableHttpIngestPerSecond: httpDurableIngest.messagesPerSecond,
    heapBytesPerMessage: dataDir.startedHeapBytesPerMessage,
    startupSeconds: dataDir.startupSeconds,
    http,
  })
  const notes = [
    'latencies are single-caller, in-process, first page of 20, after warm-up; competitors post-filter against shared side tables',
    `the side-by-side run uses N=${comparison.messages}${sameN ? ' (the same corpus as the main run)' : ` (a corpus of its own; the main run's N=${options.messages} makes the naive designs too slow to measure in minutes)`}`,
    'HTTP batch ingestion applies membership changes between batches (a batch is one request)',
  ]
  return {
    schema: RESULT_SCHEMA,
    date: new Date().toISOString(),
    messages: options.messages,
    seed: corpus.config.seed,
    backend: 'memory',
    machine,
    calibration,
    corpus: { ...main.facts, generateSeconds: main.generateSeconds },
    ingest: {
      port: {
        messagesPerSecond: main.messagesPerSecond,
        indexSeconds: main.indexSeconds,
        populationSeconds: main.populationSeconds,
        batch: BATCH,
      },
      http: httpIngest,
      httpDurable: httpDurableIngest,
      durable: { messagesPerSecond: dataDir.writeMessagesPerSecond, inFlight: dataDir.inFlight },
    },
    memory: {
      heapBytesPerMessage: main.heapBytesPerMessage,
      heapUsedBytes: main.heapBytes.heapUsed,
      arrayBufferBytes: main.heapBytes.arrayBuffers,
      gcExposed: machine.gcExposed,
      dataDirBytes: dataDir.bytes,
      dataDirBytesPerMessage: dataDir.bytesPerMessage,
      dataDirNote: `the LMDB record store holding the corpus (users, groups, memberships, contacts, messages), blocks allocated on disk; ${dataDir.apparentBytes} bytes apparent`,
    },
    startup: {
      seconds: dataDir.startupSeconds,
      coldSeconds: dataDir.coldStartupSeconds,
      snapshotBytes: dataDir.snapshotBytes,
      startedHeapBytesPerMessage: dataDir.startedHeapBytesPerMessage,
      startedRssBytes: dataDir.startedRssBytes,
      fromMemorySeconds: Math.round(rebuildFromMemorySeconds * 1000) / 1000,
      note: 'start-up = a fresh process opening the LMDB data dir and loading the index snapshot, as every `npm start` after the first does (cold: no snapshot, every index rebuilt from the records and a snapshot saved; fixtures and HTTP excluded); fromMemorySeconds = the users, groups and messages rebuild from in-memory records, generation excluded',
    },
    searchers,
    search: { messages, discovery },
    http,
    comparison,
    targets,
    notes,
    totalSeconds: Math.round((performance.now() - began) / 100) / 10,
  }
}
