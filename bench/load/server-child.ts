/**
 * @module The server under load, in a process of its own so the load generator never shares its
 * event loop: the embedded engine over an LMDB data dir (as `npm start` runs it), the fixtures
 * loaded into the empty store, the real app on an ephemeral loopback port. Over IPC it reports its
 * memory after forced collections and closes on request.
 *
 * Usage (by bench/load/server.ts, with `npm start`'s flags from `serviceFlags`):
 * `node <service flags> --expose-gc --import ./loader/register.mjs bench/load/server-child.ts <dataDir> <fixturesDir>`
 */
import { createMemoryBackend } from '../../adapters/memory/index.ts'
import { LmdbRecordStore } from '../../adapters/memory/lmdb-record-store.ts'
import { loadFixtures } from '../../src/services/fixtures-loader.ts'
import { buildIndexes } from '../../src/services/index-builder.ts'
import { settle } from '../lib/memory.ts'
import { startServer } from '../phases/server.ts'
import type { FromServer, ToServer } from './protocol.ts'

const [dataDir, fixturesDir] = process.argv.slice(2)
const send = (message: FromServer) => process.send?.(message)

async function main(): Promise<void> {
  if (!dataDir || !fixturesDir) throw new Error('usage: server-child.ts <dataDir> <fixturesDir>')
  const started = performance.now()
  const store = new LmdbRecordStore(dataDir)
  const backend = createMemoryBackend()
  await buildIndexes(store, backend)
  const counts =
    (await backend.stats('messages')).documents === 0
      ? { ...(await loadFixtures(fixturesDir, { store, backend })) }
      : {}
  const server = await startServer(store, backend)
  process.on('message', async (message: ToServer) => {
    if (message.type === 'memory') {
      const sample = settle()
      const rss = process.memoryUsage().rss
      const messages = (await backend.stats('messages')).documents
      send({ type: 'memory', memory: { ...sample, rss, messages } })
    } else if (message.type === 'close') {
      await server.close()
      await backend.close()
      await store.close()
      send({ type: 'closed' })
      process.disconnect()
    }
  })
  send({ type: 'ready', url: server.url, counts, startMs: Math.round(performance.now() - started) })
}

main().catch((error: unknown) => {
  send({ type: 'failed', message: error instanceof Error ? (error.stack ?? error.message) : String(error) })
  process.exitCode = 1
})
