/**
 * @module Shared setup for the emulator suite: an in-process emulator on a free port plus an SDK
 * client pointed at it, and small helpers to read SDK rows and assert Tablestore errors.
 */
import { expect } from 'vitest'
import type { EmulatorOptions, RunningEmulator } from '../../emulator/index.ts'
import { startEmulator } from '../../emulator/index.ts'
import type { SdkClient, SdkRow } from './sdk.ts'
import { TableStore } from './sdk.ts'

export { TableStore }

export interface Harness {
  readonly emu: RunningEmulator
  readonly client: SdkClient
}

/** Starts an emulator on a free port and a client with retries off (a 5xx must not stall tests). */
export async function startHarness(opts: EmulatorOptions = {}): Promise<Harness> {
  const emu = await startEmulator({ port: 0, ...opts })
  return { emu, client: clientFor(emu) }
}

export function clientFor(
  emu: RunningEmulator,
  overrides: { secret?: string; instance?: string; keyId?: string } = {},
): SdkClient {
  return new TableStore.Client({
    accessKeyId: overrides.keyId ?? emu.accessKeyId,
    secretAccessKey: overrides.secret ?? emu.accessKeySecret,
    endpoint: emu.endpoint,
    instancename: overrides.instance ?? emu.instanceName,
    maxRetries: 0,
  })
}

export const long = (n: number) => TableStore.Long.fromNumber(n)
export const ignore = () => new TableStore.Condition(TableStore.RowExistenceExpectation.IGNORE, null)
export const expectExist = () =>
  new TableStore.Condition(TableStore.RowExistenceExpectation.EXPECT_EXIST, null)
export const expectNotExist = () =>
  new TableStore.Condition(TableStore.RowExistenceExpectation.EXPECT_NOT_EXIST, null)

/** Plain JS value of an SDK cell: Int64 becomes a number, everything else is kept. */
export function plain(value: unknown): unknown {
  if (value && typeof value === 'object' && 'toNumber' in value && typeof value.toNumber === 'function')
    return (value as { toNumber(): number }).toNumber()
  return value
}

/** Attribute columns of an SDK row as an object. */
export function attrs(row: Partial<SdkRow> | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const a of row?.attributes ?? []) out[a.columnName] = plain(a.columnValue)
  return out
}

/** Primary key of an SDK row as an object. */
export function pk(row: Partial<SdkRow> | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const c of row?.primaryKey ?? []) out[c.name] = plain(c.value)
  return out
}

/** Asserts a rejected call carries the HTTP status and OTS code (the SDK puts the code in the message). */
export async function expectOtsError(call: Promise<unknown>, status: number, code: string): Promise<string> {
  const err = (await call.then(
    () => {
      throw new Error(`expected ${code} but the call succeeded`)
    },
    (e: unknown) => e,
  )) as { code?: unknown; message?: string }
  expect(err.code).toBe(status)
  expect(err.message).toContain(code)
  return err.message ?? ''
}

/** Creates a table with a STRING `id` key (or the given keys). */
export async function createTable(
  client: SdkClient,
  tableName: string,
  primaryKey: { name: string; type: string; option?: string }[] = [{ name: 'id', type: 'STRING' }],
  extra: Record<string, unknown> = {},
): Promise<void> {
  await client.createTable({
    tableMeta: { tableName, primaryKey },
    reservedThroughput: { capacityUnit: { read: 0, write: 0 } },
    tableOptions: { timeToLive: -1, maxVersions: 1 },
    ...extra,
  })
}
