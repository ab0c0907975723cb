/**
 * @module Snapshot directories for property tests: a temporary root made before the suite and
 * removed after it, and a fresh directory under it for each run, so that no run loads another's
 * snapshot.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll } from 'vitest'

/** Registers the suite's root (`prefix` names it) and returns a maker of fresh run directories. */
export function snapshotRunDirs(prefix: string): () => string {
  let root = ''
  let run = 0
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), prefix))
  })
  afterAll(async () => {
    await rm(root, { recursive: true, force: true })
  })
  return () => join(root, `run-${run++}`)
}
