/**
 * @module ComputeSplits sessions for ParallelScan: one split, a snapshot taken at the first scan,
 * and an alive time renewed by every call (default 60 s), as documented.
 */
import { randomBytes } from 'node:crypto'
import { invalidParameter } from '../errors.ts'
import type { IndexedDoc } from './documents.ts'
import type { SearchIndex } from './search-index.ts'

export interface ScanSession {
  readonly id: string
  readonly index: SearchIndex
  snapshot: readonly IndexedDoc[] | undefined
  expiresAt: number
}

/** The emulator always offers a single split. */
export const SPLITS = 1
const DEFAULT_ALIVE_MS = 60_000

export class ScanSessions {
  readonly #sessions = new Map<string, ScanSession>()

  open(index: SearchIndex, now: number): Buffer {
    this.#expire(now)
    const id = randomBytes(16)
    this.#sessions.set(id.toString('hex'), {
      id: id.toString('hex'),
      index,
      snapshot: undefined,
      expiresAt: now + DEFAULT_ALIVE_MS,
    })
    return id
  }

  /** Finds a live session and renews it for `aliveSeconds` (default 60). */
  touch(id: Uint8Array, index: SearchIndex, now: number, aliveSeconds: number | undefined): ScanSession {
    this.#expire(now)
    const session = this.#sessions.get(Buffer.from(id).toString('hex'))
    if (!session)
      throw invalidParameter('The session_id does not exist or has expired; call ComputeSplits again.')
    if (session.index !== index) throw invalidParameter('The session_id belongs to a different search index.')
    session.expiresAt = now + (aliveSeconds && aliveSeconds > 0 ? aliveSeconds * 1000 : DEFAULT_ALIVE_MS)
    return session
  }

  #expire(now: number): void {
    for (const [key, s] of this.#sessions) if (s.expiresAt < now) this.#sessions.delete(key)
  }
}
