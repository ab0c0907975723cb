/**
 * @module The local emulator in tests: one per test file, and adapter options for it in tables of
 * a given prefix (one per test keeps tests apart).
 */
import { afterAll, beforeAll } from 'vitest'
import type { TablestoreOptions } from '../../adapters/tablestore/index.ts'
import { type RunningEmulator, startEmulator } from '../../emulator/index.ts'

/** Tables created on first use; no retries, so a fault shows at once; searches settle within 5 s. */
export function emulatorOptions(
  emu: Pick<RunningEmulator, 'endpoint' | 'instanceName' | 'accessKeyId' | 'accessKeySecret'>,
  tablePrefix: string,
): TablestoreOptions {
  return {
    endpoint: emu.endpoint,
    instance: emu.instanceName,
    accessKeyId: emu.accessKeyId,
    accessKeySecret: emu.accessKeySecret,
    tablePrefix,
    ensureTables: true,
    retry: { maxRetries: 0 },
    indexLagTimeoutMs: 5000,
  }
}

/**
 * Tables an emulator of the suites may hold: each test or world works in tables of a fresh prefix
 * and none is dropped, so the instance quota (64 by default, as Tablestore's) is not under test.
 */
export const SUITE_MAX_TABLES = 1_000_000

/**
 * Starts one emulator for the calling test file (with a search-index lag like production's) and
 * stops it after; pass the getter's value as `tablestore`.
 */
export function useTablestoreEmulator(indexLagMs = 15): () => RunningEmulator {
  let emulator: RunningEmulator | undefined
  beforeAll(async () => {
    emulator = await startEmulator({ port: 0, indexLagMs, maxTables: SUITE_MAX_TABLES })
  })
  afterAll(async () => {
    await emulator?.close()
  })
  return () => {
    if (!emulator) throw new Error('the emulator is started in beforeAll: call the getter inside a test')
    return emulator
  }
}
