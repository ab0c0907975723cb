/**
 * @module The local emulator in tests: one per test file, strict as Tablestore is (a new table is
 * not ready at once, a new search index syncs what was there before it, writes reach the index
 * late), and adapter options for it in tables of a given prefix (one per test keeps tests apart).
 */
import { afterAll, beforeAll } from 'vitest'
import type { TablestoreOptions } from '../../adapters/tablestore/index.ts'
import { type EmulatorOptions, type RunningEmulator, startEmulator } from '../../emulator/index.ts'

/** `IMSEARCH_LONG=1`: Tablestore's windows at a realistic scale (seconds) instead of milliseconds. */
export const LONG = process.env.IMSEARCH_LONG === '1'

/**
 * Tablestore's asynchronous windows, short by default so that the suite stays quick, seconds under
 * `IMSEARCH_LONG=1`: a table answers OTSTableNotReady for `tableReadyMs` after CreateTable
 * (production: about a minute), a new search index leaves out the rows before it for
 * `indexReadyMs` (up to a minute), and every write reaches search `indexLagMs` late (99% within
 * 3 s). The quota is raised, as a ticket raises it: a test file's many deployments share one
 * emulator; `test/tablestore/quota.test.ts` checks the documented 64.
 */
export const STRICT: Pick<EmulatorOptions, 'indexLagMs' | 'tableReadyMs' | 'indexReadyMs' | 'maxTables'> =
  LONG
    ? { indexLagMs: 800, tableReadyMs: 2_000, indexReadyMs: 3_000, maxTables: 1_000_000 }
    : { indexLagMs: 15, tableReadyMs: 40, indexReadyMs: 60, maxTables: 1_000_000 }

/** Starts an emulator with the {@link STRICT} windows (and any option given). */
export function startStrictEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  return startEmulator({ port: 0, ...STRICT, ...options })
}

/** Tables created on first use; no retries, so a fault shows at once; bounds scaled to the windows. */
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
    indexLagTimeoutMs: LONG ? 30_000 : 5_000,
    tableReadyTimeoutMs: LONG ? 30_000 : 5_000,
    indexCatchUpTimeoutMs: LONG ? 60_000 : 10_000,
    tableQuota: STRICT.maxTables,
  }
}

/**
 * Starts one strict emulator for the calling test file and stops it after; pass the getter's
 * value as `tablestore`. A number is the index lag (0: a test about something else that reads
 * its writes back at once).
 */
export function useTablestoreEmulator(options: EmulatorOptions | number = {}): () => RunningEmulator {
  let emulator: RunningEmulator | undefined
  beforeAll(async () => {
    emulator = await startStrictEmulator(typeof options === 'number' ? { indexLagMs: options } : options)
  })
  afterAll(async () => {
    await emulator?.close()
  })
  return () => {
    if (!emulator) throw new Error('the emulator is started in beforeAll: call the getter inside a test')
    return emulator
  }
}
