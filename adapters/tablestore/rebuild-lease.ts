/**
 * @module A rebuild's hold on an index across replicas: the "building n+1" marker in the index's
 * `reindex_job` row, claimed with a conditional update (so a second replica gets
 * {@link RebuildInProgressError}), kept fresh by a heartbeat, and ended by the swap or a release.
 * A marker whose heartbeat is older than the staleness bound was left by a stopped process and
 * may be claimed anew. A rebuilder whose marker was claimed by another one (it stalled past the
 * bound) learns it at its next heartbeat, swap or release: `lost` aborts, and it touches nothing.
 */
import { RebuildInProgressError } from '../../src/ports/search-backend.ts'
import type { GenerationRows, GenerationState, GenerationUpdate } from './generation-row.ts'

export interface LeaseOptions {
  /** A marker whose heartbeat is older than this is abandoned. */
  staleMs: number
  /** Runs once the index is known to be free, before the marker is written. */
  prepare?: () => Promise<unknown>
  now?: () => number
}

export class RebuildLease {
  readonly #rows: GenerationRows
  readonly #index: string
  #state: GenerationState
  /** Row updates one at a time: each is conditional on the version the previous one wrote. */
  #queue: Promise<unknown> = Promise.resolve()
  readonly #lost = new AbortController()
  readonly #timer: ReturnType<typeof setInterval>

  private constructor(rows: GenerationRows, index: string, state: GenerationState, staleMs: number) {
    this.#rows = rows
    this.#index = index
    this.#state = state
    // Four beats per staleness bound: one late or failed beat does not make the rebuild look abandoned.
    this.#timer = setInterval(() => void this.#beat().catch(() => {}), Math.max(10, staleMs / 4))
    this.#timer.unref()
  }

  /**
   * Marks `generation` as being built, from the state `seen` (read just before): refused when a
   * live rebuild holds the index or another replica changed the row first.
   */
  static async claim(
    rows: GenerationRows,
    index: string,
    seen: GenerationState,
    options: LeaseOptions,
  ): Promise<RebuildLease> {
    const now = (options.now ?? Date.now)()
    const held = seen.building && now - seen.building.heartbeatAt < options.staleMs
    if (held) throw new RebuildInProgressError(`a rebuild of ${index} is running on a replica`)
    await options.prepare?.()
    const state = await rows.replace(index, seen, { live: seen.live, building: seen.live + 1 })
    if (!state) throw new RebuildInProgressError(`a rebuild of ${index} started on another replica`)
    return new RebuildLease(rows, index, state, options.staleMs)
  }

  /** The row as this lease last wrote it. */
  get state(): GenerationState {
    return this.#state
  }

  /** Aborted once another replica took the index over: the rebuild must stop. */
  get lost(): AbortSignal {
    return this.#lost.signal
  }

  /** Points the index at the generation built; throws when the lease was lost. */
  async swap(): Promise<GenerationState> {
    const generation = this.#building()
    return this.#update({ live: generation, outcome: 'done' })
  }

  /**
   * Clears the marker after a failure or a cancel. False when another replica holds the index now
   * (its rebuild goes on in the same table, which must then be left alone).
   */
  async release(): Promise<boolean> {
    if (this.#lost.signal.aborted) return false
    try {
      await this.#update({ live: this.#state.live, outcome: 'failed' })
      return true
    } catch (error) {
      if (error instanceof RebuildInProgressError) return false
      throw error
    }
  }

  stop(): void {
    clearInterval(this.#timer)
  }

  /**
   * Refreshes the marker. The update is computed when its turn in the queue comes: a beat queued
   * behind the swap or a release finds the rebuild ended and does nothing, instead of marking the
   * index as building again (and rejects, never throws, from the timer).
   */
  #beat(): Promise<GenerationState> {
    return this.#update(() => {
      const building = this.#state.building?.generation
      return building === undefined ? undefined : { live: this.#state.live, building }
    })
  }

  #building(): number {
    const generation = this.#state.building?.generation
    if (generation === undefined) throw new Error('[im-search] [tablestore] the rebuild has ended')
    return generation
  }

  #update(update: GenerationUpdate | (() => GenerationUpdate | undefined)): Promise<GenerationState> {
    const run = async () => {
      if (this.#lost.signal.aborted) throw this.#takenOver()
      const change = typeof update === 'function' ? update() : update
      if (change === undefined) return this.#state
      const next = await this.#rows.replace(this.#index, this.#state, change)
      if (!next) {
        this.#lost.abort(this.#takenOver())
        throw this.#takenOver()
      }
      this.#state = next
      return next
    }
    const result = this.#queue.then(run, run)
    this.#queue = result.catch(() => {})
    return result
  }

  #takenOver(): RebuildInProgressError {
    return new RebuildInProgressError(`the rebuild of ${this.#index} was taken over by another replica`)
  }
}
