/**
 * @module Durability of the persistent index (issue 15): a process snapshotting its indexes every
 * few changes is killed with SIGKILL at any moment (a few writes in, while a snapshot is being
 * written, just after one was saved, deep into a run). After every kill the data dir starts
 * (snapshot and replay, or rebuild) and answers exactly as indexes rebuilt from the records do,
 * and no acknowledged write is lost.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { createMemoryBackend } from '../../adapters/memory/index.ts'
import { LmdbRecordStore } from '../../adapters/memory/lmdb-record-store.ts'
import { buildIndexes } from '../../src/services/index-builder.ts'
import { startIndexes } from '../../src/services/index-startup.ts'
import { indexAnswers } from './index-answers.ts'
import { runUntilKilled } from './killed-child.ts'

const CHILD = join(import.meta.dirname, 'snapshot-child.ts')
const RUNS = Number(process.env.IMSEARCH_CRASH_RUNS ?? 6)
const root = mkdtempSync(join(tmpdir(), 'imsearch-snapshot-crash-'))
afterAll(() => rmSync(root, { recursive: true, force: true }))

/** When a run is killed: `at` names the line that decides it, after `skip` of them. */
const KILL_POINTS = [
  { at: 'ack', skip: 5 },
  { at: 'saving', skip: 0 },
  { at: 'saved', skip: 1 },
  { at: 'saving', skip: 3 },
  { at: 'ack', skip: 300 },
  { at: 'saved', skip: 0 },
] as const

interface Outcome {
  acked: Map<string, number>
  recalled: Set<string>
  /** Recalls begun: acknowledged or not, the message may be gone. */
  recalling: Set<string>
  /** How each start went: the child's (`ready`) and the check's after each kill. */
  childStarts: string[]
  checkStarts: string[]
}

async function run(dir: string, prefix: string, kill: (typeof KILL_POINTS)[number], outcome: Outcome) {
  let seen = 0
  await runUntilKilled(CHILD, [dir, prefix], (line) => {
    const [kind, id, seq] = line.split(' ')
    if (kind === 'ready' && id) outcome.childStarts.push(id)
    if (kind === 'ack' && id && seq) outcome.acked.set(id, Number(seq))
    if (kind === 'recalling' && id) outcome.recalling.add(id)
    if (kind === 'recalled' && id) outcome.recalled.add(id)
    if (kind !== kill.at) return false
    return seen++ >= kill.skip
  })
}

/** The data dir as the next start finds it: started, compared with a rebuild from the records. */
async function expectStartsLikeTheOracle(dir: string, outcome: Outcome) {
  const store = new LmdbRecordStore(dir)
  try {
    const started = createMemoryBackend({ snapshotDir: join(dir, 'index-snapshot') })
    const startup = await startIndexes({ store, backend: started, feed: store })
    outcome.checkStarts.push(startup.reason ? `${startup.mode}: ${startup.reason}` : startup.mode)
    const oracle = createMemoryBackend()
    await buildIndexes(store, oracle)
    expect(await indexAnswers(started), `start by ${startup.mode} (${startup.reason ?? ''})`).toEqual(
      await indexAnswers(oracle),
    )
    for (const [id, seq] of outcome.acked)
      if (!outcome.recalling.has(id)) expect((await store.getMessage(id))?.sequenceId, id).toBe(seq)
    for (const id of outcome.recalled) expect(await store.getMessage(id), id).toBeUndefined()
    // Contact rows show the name the user has now, whichever rename the kill came after.
    const row = await started.search('contacts', {
      query: { term: { field: 'contactKey', value: 'u1/u2' } },
      limit: 1,
    })
    expect(row.hits[0]?.document.name).toBe((await store.getUser('u2'))?.name)
  } finally {
    await store.close()
  }
}

describe('embedded engine with index snapshots: kill -9 at any moment', () => {
  it(`starts and answers like indexes rebuilt from the records after each of ${RUNS} kills`, async () => {
    const dir = join(root, 'data')
    const outcome: Outcome = {
      acked: new Map(),
      recalled: new Set(),
      recalling: new Set(),
      childStarts: [],
      checkStarts: [],
    }
    for (let i = 0; i < RUNS; i++) {
      await run(dir, `r${i}`, KILL_POINTS[i % KILL_POINTS.length] as (typeof KILL_POINTS)[number], outcome)
      await expectStartsLikeTheOracle(dir, outcome)
    }
    // A kill never leaves the data dir without a whole snapshot the records can bring up to date.
    expect(outcome.childStarts).toEqual(['rebuilt', ...Array(RUNS - 1).fill('snapshot')])
    expect(outcome.checkStarts).toEqual(Array(RUNS).fill('snapshot'))
    expect(outcome.recalled.size).toBeGreaterThan(0)
  }, 120_000)
})
