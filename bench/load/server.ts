/**
 * @module Starts bench/load/server-child.ts over a fresh data dir in the temp dir and talks to it:
 * its URL, its memory on demand, and a close that waits for it and removes the data dir.
 */
import { type ChildProcess, fork } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { typescriptLoader } from '../../loader/index.ts'
import { serviceLaunch } from '../../src/cli/start.ts'
import type { FromServer, ServerMemory, ToServer } from './protocol.ts'

const CHILD = fileURLToPath(new URL('./server-child.ts', import.meta.url))
/** Start-up loads 3,000 fixture messages into LMDB; on a busy 2-core machine that can take a while. */
const READY_TIMEOUT_MS = 120_000

export interface LoadServer {
  url: string
  /** Fixture counts loaded at start. */
  counts: Record<string, number>
  startMs: number
  memory(): Promise<ServerMemory>
  close(): Promise<void>
}

/** Waits for the next message of `type`; rejects if the child fails or exits first. */
function next<T extends FromServer['type']>(child: ChildProcess, type: T, timeoutMs: number) {
  return new Promise<Extract<FromServer, { type: T }>>((resolve, reject) => {
    const timer = setTimeout(
      () => finish(new Error(`load server: no "${type}" within ${timeoutMs} ms`)),
      timeoutMs,
    )
    const onMessage = (message: FromServer) => {
      if (message.type === type) finish(undefined, message as Extract<FromServer, { type: T }>)
      else if (message.type === 'failed') finish(new Error(`load server failed: ${message.message}`))
    }
    const onExit = (code: number | null) => finish(new Error(`load server exited (${code}) before "${type}"`))
    const finish = (error?: Error, value?: Extract<FromServer, { type: T }>) => {
      clearTimeout(timer)
      child.off('message', onMessage)
      child.off('exit', onExit)
      if (error) reject(error)
      else resolve(value as Extract<FromServer, { type: T }>)
    }
    child.on('message', onMessage)
    child.once('exit', onExit)
  })
}

export async function startLoadServer(options: { fixturesDir: string }): Promise<LoadServer> {
  const dataDir = await mkdtemp(join(tmpdir(), 'im-search-load-'))
  // `npm start`'s own Node flags (heap limit, young generation) and environment (huge pages), so
  // the server under load runs as the service does; `--expose-gc` for the memory samples.
  const service = serviceLaunch()
  const child = fork(CHILD, [dataDir, options.fixturesDir], {
    execArgv: [...service.flags, '--expose-gc', ...typescriptLoader],
    env: service.env,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  })
  const send = (message: ToServer) => child.send(message)
  let ready: Extract<FromServer, { type: 'ready' }>
  try {
    ready = await next(child, 'ready', READY_TIMEOUT_MS)
  } catch (error) {
    child.kill('SIGKILL')
    await rm(dataDir, { recursive: true, force: true })
    throw error
  }
  return {
    url: ready.url,
    counts: ready.counts,
    startMs: ready.startMs,
    async memory() {
      const reply = next(child, 'memory', 60_000)
      send({ type: 'memory' })
      return (await reply).memory
    },
    async close() {
      if (child.connected) {
        const exited = new Promise((resolve) => child.once('exit', resolve))
        send({ type: 'close' })
        await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 15_000))])
      }
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
      await rm(dataDir, { recursive: true, force: true })
    },
  }
}
