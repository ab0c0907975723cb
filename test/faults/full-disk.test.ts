/**
 * @module Issue #8, a full disk under the embedded store: the service (a child process whose
 * file-size limit stands for the disk's free space) refuses the write that cannot be made durable
 * with 507 problem+json, keeps serving reads and idempotent resubmissions, and does not crash;
 * reopened without the limit, the store holds exactly what was acknowledged and takes new writes.
 */
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { LmdbRecordStore } from '../../adapters/memory/lmdb-record-store.ts'
import { typescriptLoader } from '../../loader/index.ts'

const CHILD = join(import.meta.dirname, 'full-disk-child.ts')
/** The "disk": 2 MB of data file, room for some 150 messages of 3,000 Han characters. */
const LIMIT_KB = 2000
const dir = mkdtempSync(join(tmpdir(), 'imsearch-full-disk-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

interface Step {
  step: string
  status?: number
  contentType?: string
  retryAfter?: string | null
  // biome-ignore lint/suspicious/noExplicitAny: asserted field by field.
  body?: any
}

/** Runs the child under `ulimit -f` and resolves with its steps once it exits. */
function runLimited(): Promise<{ steps: Step[]; code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      'bash',
      ['-c', `ulimit -f ${LIMIT_KB} && exec "$0" "$@"`, process.execPath, ...typescriptLoader, CHILD, dir],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    )
    let out = ''
    let stderr = ''
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString()
    })
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString()
    })
    child.on('error', reject)
    child.on('exit', (code) => {
      const steps = out
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as Step)
      resolve({ steps, code, stderr })
    })
  })
}

describe('embedded store: the data directory fills up (#8)', () => {
  it('refuses the write with 507, keeps serving, and loses nothing acknowledged', async () => {
    const { steps, code, stderr } = await runLimited()
    expect(code, stderr).toBe(0)
    expect(steps.at(-1)?.step).toBe('done')
    const fill = steps.filter((s) => s.step === 'fill')
    const acked = fill
      .filter((s) => s.status === 201)
      .map((s) => s.body as { messageId: string; sequenceId: number })
    expect(acked.length).toBeGreaterThan(20)
    const refused = fill.at(-1) as Step
    const step = (name: string) => steps.find((s) => s.step === name) as Step
    for (const reply of [refused, step('again')]) {
      expect(reply.status, JSON.stringify(reply.body)).toBe(507)
      expect(reply.contentType).toMatch(/^application\/problem\+json/)
      expect(reply.body).toMatchObject({ status: 507, title: 'Insufficient storage' })
      expect(reply.body.detail).toMatch(/^the data directory is full, so this write was not stored/)
      // A full disk does not clear itself in a second: no Retry-After invites hammering it.
      expect(reply.retryAfter).toBeNull()
    }
    // Reads still work, and so does a resubmission of an acknowledged message (it writes nothing).
    expect(step('history').status).toBe(200)
    expect(step('history').body.hits.length).toBe(Math.min(100, acked.length))
    expect(step('search').status).toBe(200)
    expect(step('search').body.total).toBe(acked.length)
    expect(step('resubmit')).toMatchObject({ status: 200, body: acked[0] })

    // Reopened with room again: exactly the acknowledged messages, intact, and new writes go on.
    const store = new LmdbRecordStore(dir)
    try {
      const history = await store.history('g1', { direction: 'forward', limit: 100_000 })
      expect(history.map((m) => [m.messageId, m.sequenceId])).toEqual(
        acked.map((a) => [a.messageId, a.sequenceId]),
      )
      // The refused message left nothing behind: no half-written record.
      expect(await store.getMessage(`m${acked.length}`)).toBeUndefined()
      const { message } = await store.insertMessage({
        ...(history[0] as (typeof history)[0]),
        messageId: 'after-space-freed',
      })
      expect(message.sequenceId).toBe((acked.at(-1)?.sequenceId ?? 0) + 1)
    } finally {
      await store.close()
    }
  })
})
