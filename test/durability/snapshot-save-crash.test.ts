/**
 * @module Index snapshots under kill -9 (issue 15): a process saving snapshot after snapshot is
 * killed at a random moment (during a capture, a part's write, an fsync, the rename or the
 * removal of the older one); the next load finds a whole snapshot, the last one reported or the
 * one after it, answering exactly as the index it was taken from, and leaves no temporary files.
 */
import { spawn } from 'node:child_process'
import { mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { MemoryBackend } from '../../adapters/memory/backend.ts'
import { typescriptLoader } from '../../loader/index.ts'
import type { SearchRequest } from '../../src/ports/search-backend.ts'
import { applyBatch } from './snapshot-batches.ts'

const CHILD = join(import.meta.dirname, 'snapshot-save-child.ts')
const RUNS = Number(process.env.IMSEARCH_CRASH_RUNS ?? 6)
const root = mkdtempSync(join(tmpdir(), 'imsearch-snapshot-save-crash-'))
afterAll(() => rmSync(root, { recursive: true, force: true }))

const REQUESTS: SearchRequest[] = [
  { query: { match: { field: 'content', query: '上海 api' } }, limit: 50 },
  {
    query: { bool: { filter: [{ term: { field: 'recipients', value: 'u3' } }], must: [{ match_all: {} }] } },
    sort: [{ field: { name: 'sentAt', order: 'desc' } }],
    limit: 50,
  },
]

/**
 * Runs the child until it has reported its first snapshot, then kills it with SIGKILL after
 * `delayMs` more (while it saves the next ones); resolves with the last snapshot it reported.
 */
function saveUntilKilled(dir: string, delayMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...typescriptLoader, CHILD, dir], {
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let reported = 0
    let stderr = ''
    let output = ''
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString()
    })
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString()
      const lines = output.split('\n')
      output = lines.pop() ?? ''
      for (const line of lines) {
        const [word, j] = line.split(' ')
        if (word !== 'saved') continue
        if (reported === 0) setTimeout(() => child.kill('SIGKILL'), delayMs)
        reported = Number(j)
      }
    })
    child.on('exit', (_code, signal) => {
      if (signal === 'SIGKILL') resolve(reported)
      else reject(new Error(`the child exited without being killed: ${stderr}`))
    })
  })
}

async function answers(backend: MemoryBackend) {
  const pages = await Promise.all(REQUESTS.map((request) => backend.search('messages', request)))
  return { pages, stats: await backend.stats('messages') }
}

describe('index snapshots: kill -9 while saving', () => {
  it(`a load after each of ${RUNS} kills finds a whole snapshot, right, the latest reported or the next`, async () => {
    for (let run = 0; run < RUNS; run++) {
      const dir = join(root, `run-${run}`)
      // Spread over about two saves: capture, parts, fsyncs, rename, removal of the older one.
      const reported = await saveUntilKilled(dir, ((run * 37) % 11) * 25)
      const loaded = new MemoryBackend({ snapshotDir: dir })
      const load = await loaded.snapshots?.load()
      if (!load?.loaded) throw new Error(`run ${run}: not loaded: ${load?.reason}`)
      expect([reported, reported + 1]).toContain(load.marker.covered)
      const oracle = new MemoryBackend()
      for (let j = 1; j <= load.marker.covered; j++) await applyBatch(oracle, j)
      expect(await answers(loaded)).toEqual(await answers(oracle))
      expect(readdirSync(dir).filter((name) => !name.startsWith('snapshot-'))).toEqual([])
    }
  }, 120_000)
})
