/**
 * @module `npm run emulator -- --port 8900 --access-key-id ID --access-key-secret SECRET
 * [--instance NAME] [--index-lag-ms N] [--table-ready-ms N] [--index-ready-ms N] [--max-tables N]
 * [--secondary-index-lag-ms N]
 * [--host HOST] [--fault SPEC]... [--fault-seed N]`: runs the
 * emulator until SIGINT/SIGTERM.
 */
import process from 'node:process'
import { parseArgs } from 'node:util'
import {
  DEFAULT_ACCESS_KEY_ID,
  DEFAULT_ACCESS_KEY_SECRET,
  DEFAULT_HOST,
  DEFAULT_INSTANCE_NAME,
  DEFAULT_MAX_TABLES,
  DEFAULT_PORT,
  FAULT_KINDS,
  type FaultRule,
  parseFaultSpec,
  startEmulator,
} from './index.ts'

const USAGE = `Usage: npm run emulator -- [--port ${DEFAULT_PORT}] [--host ${DEFAULT_HOST}]
  [--access-key-id ${DEFAULT_ACCESS_KEY_ID}] [--access-key-secret ${DEFAULT_ACCESS_KEY_SECRET}]
  [--instance ${DEFAULT_INSTANCE_NAME}] [--index-lag-ms 0] [--table-ready-ms 0] [--index-ready-ms 0]
  [--max-tables ${DEFAULT_MAX_TABLES}] [--secondary-index-lag-ms 0]
  [--fault kind[:Op,Op][@rate][xcount][+after][~delayMs]]... [--fault-seed 1]
  fault kinds: ${FAULT_KINDS.join(', ')}
  e.g. --fault busy:PutRow@0.2 --fault drop+afterx3 --fault slow~800@0.05`

function fail(message: string): never {
  process.stderr.write(`[im-search] [tablestore-emulator] ${message}\n${USAGE}\n`)
  process.exit(2)
}

function integer(name: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback
  const n = Number(text)
  if (!Number.isInteger(n) || n < 0) fail(`--${name} must be a non-negative integer, got '${text}'`)
  return n
}

async function main(): Promise<void> {
  let values: Record<string, string | boolean | string[] | undefined>
  try {
    ;({ values } = parseArgs({
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        'access-key-id': { type: 'string' },
        'access-key-secret': { type: 'string' },
        instance: { type: 'string' },
        'index-lag-ms': { type: 'string' },
        'table-ready-ms': { type: 'string' },
        'index-ready-ms': { type: 'string' },
        'max-tables': { type: 'string' },
        'secondary-index-lag-ms': { type: 'string' },
        fault: { type: 'string', multiple: true },
        'fault-seed': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }))
  } catch (err) {
    fail((err as Error).message)
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`)
    return
  }
  const str = (k: string): string | undefined =>
    typeof values[k] === 'string' ? (values[k] as string) : undefined
  let faults: FaultRule[] = []
  try {
    faults = ((values.fault as string[] | undefined) ?? []).map(parseFaultSpec)
  } catch (err) {
    fail((err as Error).message.replace('[im-search] [tablestore-emulator] ', ''))
  }
  const emu = await startEmulator({
    port: integer('port', str('port'), DEFAULT_PORT),
    host: str('host') ?? DEFAULT_HOST,
    accessKeyId: str('access-key-id') ?? DEFAULT_ACCESS_KEY_ID,
    accessKeySecret: str('access-key-secret') ?? DEFAULT_ACCESS_KEY_SECRET,
    instanceName: str('instance') ?? DEFAULT_INSTANCE_NAME,
    indexLagMs: integer('index-lag-ms', str('index-lag-ms'), 0),
    tableReadyMs: integer('table-ready-ms', str('table-ready-ms'), 0),
    indexReadyMs: integer('index-ready-ms', str('index-ready-ms'), 0),
    maxTables: integer('max-tables', str('max-tables'), DEFAULT_MAX_TABLES),
    secondaryIndexLagMs: integer('secondary-index-lag-ms', str('secondary-index-lag-ms'), 0),
    faultSeed: integer('fault-seed', str('fault-seed'), 1),
    faults,
  })
  process.stdout.write(
    [
      `Tablestore emulator listening on ${emu.endpoint} (search index lag ${emu.indexLagMs} ms, ` +
        `table ready after ${emu.tableReadyMs} ms, index full sync ${emu.indexReadyMs} ms, ` +
        `at most ${emu.maxTables} tables)`,
      ...(faults.length > 0
        ? [`Injecting faults (seed ${emu.faults.seed}): ${(values.fault as string[]).join(' ')}`]
        : []),
      'Point the SDK at it:',
      `  new TableStore.Client({ endpoint: '${emu.endpoint}', instancename: '${emu.instanceName}',`,
      `    accessKeyId: '${emu.accessKeyId}', secretAccessKey: '<your --access-key-secret>', maxRetries: 0 })`,
      'Data lives in memory and is lost on exit. Press Ctrl+C to stop.',
      '',
    ].join('\n'),
  )
  const stop = (signal: string): void => {
    process.stdout.write(`\nReceived ${signal}, shutting down.\n`)
    emu.close().then(
      () => process.exit(0),
      () => process.exit(1),
    )
  }
  process.once('SIGINT', () => stop('SIGINT'))
  process.once('SIGTERM', () => stop('SIGTERM'))
}

main().catch((err: unknown) => {
  process.stderr.write(`${(err as Error).message}\n`)
  process.exit(1)
})
