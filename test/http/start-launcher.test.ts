/**
 * @module `npm start`'s launcher (issue 15): the service runs with a heap sized to the machine,
 * a signal to the launcher reaches the service once and its graceful exit is the launcher's, and
 * a data dir too large for the heap is refused at start with how to give it more.
 */
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import { typescriptLoader } from '../../loader/index.ts'
import { heapMegabytesFor, machineMemory } from '../../src/services/memory-budget.ts'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const dirs = mkdtempSync(join(tmpdir(), 'imsearch-start-'))
afterAll(() => rmSync(dirs, { recursive: true, force: true }))

function launch(name: string) {
  const { NODE_OPTIONS: _inherited, ...env } = process.env
  const child = spawn(process.execPath, [...typescriptLoader, 'src/cli/start.ts'], {
    cwd: ROOT,
    env: {
      ...env,
      NODE_ENV: 'development',
      PORT: '0',
      LOG_LEVEL: 'info',
      IMSEARCH_DATA_DIR: join(dirs, name),
      IMSEARCH_FIXTURES: 'none',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stdout = ''
  let stderr = ''
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk
  })
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk
  })
  return { child, stdout: () => stdout, stderr: () => stderr }
}

describe('npm start (issue 15)', () => {
  it('serves with the heap sized to the machine, and stops gracefully on SIGTERM to the launcher', async () => {
    const { child, stdout } = launch('fits')
    try {
      // The banner and the log line go out on separate writes: wait for both.
      await new Promise<void>((resolve) =>
        child.stdout.on('data', () => {
          if (stdout().includes('im-search is serving') && stdout().includes('fits in memory')) resolve()
        }),
      )
      const fits = stdout()
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as { msg: string; heapLimit?: number })
        .find((line) => line.msg === 'the data dir fits in memory')
      expect(fits?.heapLimit).toBeGreaterThanOrEqual(heapMegabytesFor(machineMemory()) * 1024 * 1024)
      child.kill('SIGTERM')
      const [code] = await once(child, 'exit')
      expect(code).toBe(0)
      expect(stdout()).toContain('"msg":"shut down"')
    } finally {
      // Passed on to the service, which shuts down, then the launcher exits.
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM')
    }
  }, 60_000)

  it('refuses a data dir the heap cannot hold, saying how much it needs and how to give it', async () => {
    // The service started without npm start, on a heap below the 256 MiB an empty data dir is counted at.
    const { NODE_OPTIONS: _inherited, ...env } = process.env
    const child = spawn(process.execPath, ['--max-old-space-size=64', ...typescriptLoader, 'src/main.ts'], {
      cwd: ROOT,
      env: { ...env, PORT: '0', IMSEARCH_DATA_DIR: join(dirs, 'refused'), IMSEARCH_FIXTURES: 'none' },
      stdio: ['ignore', 'ignore', 'pipe'],
    })
    let stderr = ''
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk
    })
    const [code] = await once(child, 'exit')
    expect(code).toBe(1)
    expect(stderr).toMatch(/the data dir's indexes need about 0\.\d GiB of memory, more than the heap limit/)
    expect(stderr).toMatch(/Start it with `npm start`.*NODE_OPTIONS=--max-old-space-size=\d+/)
  }, 60_000)
})
