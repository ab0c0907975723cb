/**
 * @module The `reindex_job` row of a search index: its live generation and, while a rebuild runs,
 * the generation being filled with the rebuilder's heartbeat. Every replica reads it (cached, see
 * the backend) to know where to write; rebuilders change it only with a conditional update on the
 * row's version, a random id every update rewrites, so two replicas can never both start, swap or
 * cancel from the same state: the second one's update fails and it learns it lost.
 *
 * Columns (kept from the single-process layout, so older rows read the same): `generation` (live),
 * `state` (`running` while a rebuild fills `target`, else `done` or `failed`), `updated_at` (the
 * rebuilder's last heartbeat), `version`.
 */
import { randomUUID } from 'node:crypto'
import { otsCode, type TablestoreClient } from './client.ts'
import { cells, condition, plainRow } from './rows.ts'
import { long, rowExists } from './sdk.ts'

export interface Building {
  generation: number
  /** When the rebuilder last showed it is alive (its clock). */
  heartbeatAt: number
}

export interface GenerationState {
  live: number
  /** The generation a rebuild is filling, if one is. */
  building?: Building | undefined
  /** The row's version; `null` for a row written before versions existed; undefined: no row. */
  version?: string | null | undefined
}

/** What a rebuilder writes: the live generation, and the one it fills (if it still does). */
export interface GenerationUpdate {
  live: number
  building?: number | undefined
  /** Recorded as the row's state when nothing is being built. */
  outcome?: 'done' | 'failed'
}

export class GenerationRows {
  readonly #client: TablestoreClient
  readonly #table: string
  readonly #now: () => number

  constructor(client: TablestoreClient, table: string, now: () => number = Date.now) {
    this.#client = client
    this.#table = table
    this.#now = now
  }

  async read(index: string): Promise<GenerationState> {
    const { row } = await this.#client.call('getRow', {
      tableName: this.#table,
      primaryKey: cells({ index_name: index }),
      maxVersions: 1,
    })
    if (!rowExists(row)) return { live: 1 }
    const r = plainRow(row)
    const live = Number(r.generation) || 1
    const building =
      r.state === 'running' && Number(r.target) > live
        ? { generation: Number(r.target), heartbeatAt: Number(r.updated_at) || 0 }
        : undefined
    return { live, building, version: typeof r.version === 'string' ? r.version : null }
  }

  /**
   * Replaces the row if it still holds `seen`; answers the new state, or undefined when another
   * replica changed the row since `seen` was read.
   */
  async replace(
    index: string,
    seen: GenerationState,
    update: GenerationUpdate,
  ): Promise<GenerationState | undefined> {
    const version = randomUUID()
    const heartbeatAt = this.#now()
    const building = update.building === undefined ? undefined : update.building
    try {
      await this.#client.call('putRow', {
        tableName: this.#table,
        condition:
          seen.version === undefined
            ? condition('EXPECT_NOT_EXIST')
            : // A row without a version (older layout) passes once; the first update gives it one.
              condition('EXPECT_EXIST', {
                name: 'version',
                equals: seen.version ?? '',
                passIfMissing: seen.version === null,
              }),
        primaryKey: cells({ index_name: index }),
        attributeColumns: cells({
          generation: long(update.live),
          state: building === undefined ? (update.outcome ?? 'done') : 'running',
          target: long(building ?? update.live),
          updated_at: long(heartbeatAt),
          version,
        }),
      })
    } catch (error) {
      if (otsCode(error) === 'OTSConditionCheckFail') return undefined
      throw error
    }
    return {
      live: update.live,
      building: building === undefined ? undefined : { generation: building, heartbeatAt },
      version,
    }
  }
}
