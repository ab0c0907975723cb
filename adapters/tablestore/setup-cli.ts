/**
 * @module `npm run tablestore:setup`: creates or migrates every table and index the adapter uses,
 * idempotently, with the configuration `loadConfig` reads (`TABLESTORE_ENDPOINT`,
 * `TABLESTORE_INSTANCE`, `TABLESTORE_ACCESS_KEY_ID`, `TABLESTORE_ACCESS_KEY_SECRET`, never printed,
 * and `TABLESTORE_TABLE_PREFIX`), then prints how many of the instance's tables the deployment uses.
 * A search index whose definition changed is built beside the old one and waited for (see
 * `setup.ts`); `--drop-previous-search-indexes` drops old ones once no running code reads them.
 */
import { ConfigError, loadConfig } from '../../src/config.ts'
import { TablestoreClient } from './client.ts'
import { describeOptions, resolveOptions } from './config.ts'
import { countTables, TABLE_QUOTA } from './quota.ts'
import { ensureTables, specsFor } from './setup.ts'

async function main(): Promise<void> {
  const config = loadConfig()
  if (!config.tablestore) {
    console.error(
      '[im-search] [tablestore] set TABLESTORE_ENDPOINT, TABLESTORE_INSTANCE, TABLESTORE_ACCESS_KEY_ID and TABLESTORE_ACCESS_KEY_SECRET (see .env.example)',
    )
    process.exit(2)
  }
  const options = resolveOptions(config.tablestore)
  console.log('[im-search] [tablestore] setup with', describeOptions(options))
  const client = new TablestoreClient(options)
  const actions = await ensureTables(client, specsFor(options.tablePrefix), {
    tableReadyTimeoutMs: options.tableReadyTimeoutMs,
    quota: { prefix: options.tablePrefix, tables: options.tableQuota },
    indexCatchUpTimeoutMs: options.indexCatchUpTimeoutMs,
    dropPreviousSearchIndexes: process.argv.includes('--drop-previous-search-indexes'),
  })
  for (const a of actions)
    console.log(`${a.action.padEnd(9)} ${a.kind.padEnd(15)} ${a.name}${a.detail ? ` (${a.detail})` : ''}`)
  const tables = await countTables(client, options.tablePrefix)
  console.log(
    `this deployment (prefix ${options.tablePrefix}) uses ${tables.deployment} of the instance's ${TABLE_QUOTA} tables ` +
      `(secondary indexes included); the instance holds ${tables.instance}, and a rebuild needs one more per index while it runs`,
  )
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError || error instanceof Error ? error.message : error)
  process.exit(1)
})
