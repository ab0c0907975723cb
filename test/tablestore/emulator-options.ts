/** @module Adapter options for the local emulator, in tables of the given prefix (one per test keeps tests apart). */
import type { RunningEmulator } from '../../adapters/tablestore/emulator/index.ts'
import type { TablestoreOptions } from '../../adapters/tablestore/index.ts'

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
