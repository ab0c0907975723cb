/** @module The snapshot directory's entries: whole snapshots by age, and a crashed save's leftovers. */
import { readdir, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { SNAPSHOT_PREFIX, snapshotSequence, TEMP_PREFIX } from './format.ts'

/** The whole snapshots' directories in `dir`, oldest first. */
export async function snapshotsIn(dir: string): Promise<{ name: string; sequence: number }[]> {
  const names = await readdir(dir)
  return names
    .filter((name) => name.startsWith(SNAPSHOT_PREFIX))
    .map((name) => ({ name, sequence: snapshotSequence(name) }))
    .filter((entry): entry is { name: string; sequence: number } => entry.sequence !== undefined)
    .sort((a, b) => a.sequence - b.sequence)
}

/** Removes what a save interrupted by a crash left behind. */
export async function removeTemporary(dir: string): Promise<void> {
  for (const name of await readdir(dir))
    if (name.startsWith(TEMP_PREFIX)) await rm(join(dir, name), { recursive: true, force: true })
}
