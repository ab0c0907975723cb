/**
 * @module `npm run backup -- --to <dir> [--data-dir <dir>]`: snapshots the embedded store, taken
 * by the running service when there is one (see backup.ts), and prints what the copy holds.
 * Restore: stop the service and point `IMSEARCH_DATA_DIR` at the copy (indexes are rebuilt from
 * it at start).
 */
import { parseArgs } from 'node:util'
import { ConfigError, loadConfig } from '../../src/config.ts'
import { BackupError, backupDataDir } from './backup.ts'

const USAGE = `Usage: npm run backup -- --to <dir> [--data-dir <dir>]
  --to        a new or empty directory for the snapshot (required)
  --data-dir  the service's data dir (default: $IMSEARCH_DATA_DIR or ./data)
  (every copy leaves out free pages; --compact, which asked for that, is still accepted)`

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      to: { type: 'string' },
      'data-dir': { type: 'string' },
      // Scripts written when copies were plain unless asked: every copy is compact now.
      compact: { type: 'boolean', default: true },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  })
  if (values.help || !values.to) {
    console.error(USAGE)
    process.exit(values.help ? 0 : 2)
  }
  // The service's configuration (IMSEARCH_DATA_DIR, default ./data), read as the service reads it.
  const dataDir = values['data-dir'] ?? loadConfig().dataDir
  const started = Date.now()
  const result = await backupDataDir(dataDir, values.to)
  const counts = Object.entries(result.records)
    .map(([kind, n]) => `${n} ${kind}`)
    .join(', ')
  const by =
    result.by.role === 'service'
      ? `the running service (pid ${result.by.pid})`
      : 'this process (no service runs)'
  console.log(
    `backed up ${dataDir} to ${result.file}: ${(result.bytes / 2 ** 20).toFixed(1)} MiB, ${counts}, in ${Date.now() - started} ms, taken by ${by}`,
  )
}

main().catch((error: unknown) => {
  const usage = error instanceof BackupError || error instanceof TypeError || error instanceof ConfigError
  console.error(usage ? error.message : error)
  process.exit(usage ? 2 : 1)
})
