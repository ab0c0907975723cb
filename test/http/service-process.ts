/**
 * @module The service in its own process, as `npm start` runs it (or `npm run start:prod`, from
 * `dist/`): for the tests of what only a real process shows — signals, its pipes, the build.
 */
import { type ChildProcessByStdio, spawn } from 'node:child_process'
import { once } from 'node:events'
import { readFileSync } from 'node:fs'
import type { Readable } from 'node:stream'
import { fileURLToPath } from 'node:url'
import { typescriptLoader } from '../../loader/index.ts'

export const ROOT = fileURLToPath(new URL('../..', import.meta.url))
export const JWT_SECRET = 'service-process-secret-0123456789-abcdef'

/** How the service is started: from the TypeScript sources (`npm start`) or from `dist/`. */
export type Entry = 'source' | 'dist'

const scripts = (
  JSON.parse(readFileSync(`${ROOT}package.json`, 'utf8')) as { scripts: Record<string, string> }
).scripts
/** `node <args>` of the script: `start:prod` is `node dist/src/cli/start.js` (the launcher), read so the two cannot drift. */
const nodeArgs = (script: string) => (scripts[script] ?? '').split(' ').slice(1)

/** `npm start`'s Node flags with the TypeScript loader in-process, and `npm run start:prod` as it stands. */
const ARGS: Record<Entry, string[]> = {
  source: ['--max-semi-space-size=64', ...typescriptLoader, 'src/main.ts'],
  dist: nodeArgs('start:prod'),
}

export interface ServiceProcess {
  readonly child: ChildProcessByStdio<null, Readable, Readable>
  readonly url: string
  /** Everything the service wrote to stdout until `url` was known. */
  readonly startOutput: string
  /** Settles at the exit event: the code (or signal) and the ms from `kill()` to the exit. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; msAfterKill: number }>
  /** Sends a signal and notes the time, for `exited.msAfterKill`. */
  kill(signal: NodeJS.Signals): void
}

/** Children that have not exited yet, for {@link killLeftovers}. */
const running = new Set<ServiceProcess['child']>()

/** For `afterEach`: a test that failed half-way leaves no service process behind. */
export function killLeftovers(): void {
  for (const child of running) child.kill('SIGKILL')
}

/** Starts the service with `env` over the defaults (port 0, no fixtures) and waits until it serves. */
export async function startService(
  env: Record<string, string>,
  entry: Entry = 'source',
): Promise<ServiceProcess> {
  const child = spawn(process.execPath, ARGS[entry], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      NODE_ENV: 'production',
      PORT: '0',
      IMSEARCH_FIXTURES: 'none',
      IMSEARCH_DATA_DIR: ':memory:',
      IMSEARCH_JWT_SECRET: JWT_SECRET,
      ...env,
    },
  })
  running.add(child)
  child.once('exit', () => running.delete(child))
  let killedAt = 0
  const exited = once(child, 'exit').then(([code, signal]) => ({
    code: code as number | null,
    signal: signal as NodeJS.Signals | null,
    msAfterKill: Date.now() - killedAt,
  }))
  let output = ''
  let errors = ''
  child.stderr.setEncoding('utf8')
  const collectErrors = (chunk: string) => {
    errors += chunk
  }
  child.stderr.on('data', collectErrors)
  child.stdout.setEncoding('utf8')
  const url = await new Promise<string>((resolve, reject) => {
    const onData = (chunk: string) => {
      output += chunk
      const match = /im-search is serving (\S+)/.exec(output)
      if (match?.[1]) {
        child.stdout.off('data', onData)
        resolve(match[1])
      }
    }
    child.stdout.on('data', onData)
    exited.then(({ code }) =>
      reject(new Error(`the service exited (${code}) before serving:\n${output}${errors}`)),
    )
  })
  child.stderr.off('data', collectErrors)
  return {
    child,
    url,
    startOutput: output,
    exited,
    kill(signal) {
      killedAt = Date.now()
      child.kill(signal)
    },
  }
}
