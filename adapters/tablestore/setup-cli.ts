/**
 * @module `npm run tablestore:setup`: creates or migrates every table and index the adapter uses,
 * idempotently, from `TABLESTORE_ENDPOINT`, `TABLESTORE_INSTANCE`, `TABLESTORE_ACCESS_KEY_ID` and
 * `TABLESTORE_ACCESS_KEY_SECRET` (never printed), plus optional `TABLESTORE_TABLE_PREFIX`.
 * `--recreate-changed-search-indexes` rebuilds a search index whose fields changed.
 */
import { TablestoreClient } from './client.ts'
import { describeOptions, resolveOptions } from './config.ts'
import { ensureTables, specsFor } from './setup.ts'

// biome-ignore lint/style/noProcessEnv: the one entry point that reads the adapter's credentials.
const env = process.env

async function main(): Promise<void> {
  const missing = [
    'TABLESTORE_ENDPOINT',
    'TABLESTORE_INSTANCE',
    'TABLESTORE_ACCESS_KEY_ID',
    'TABLESTORE_ACCESS_KEY_SECRET',
  ].filter((name) => !env[name])
  if (missing.length > 0) {
    console.error(`[im-search] [tablestore] set ${missing.join(', ')} (see .env.example)`)
    process.exit(2)
  }
  const options = resolveOptions({
    endpoint: env.TABLESTORE_ENDPOINT ?? '',
    instance: env.TABLESTORE_INSTANCE ?? '',
    accessKeyId: env.TABLESTORE_ACCESS_KEY_ID ?? '',
    accessKeySecret: env.TABLESTORE_ACCESS_KEY_SECRET ?? '',
    ...(env.TABLESTORE_TABLE_PREFIX !== undefined ? { tablePrefix: env.TABLESTORE_TABLE_PREFIX } : {}),
  })
  console.log('[im-search] [tablestore] setup with', describeOptions(options))
  const actions = await ensureTables(new TablestoreClient(options), specsFor(options.tablePrefix), {
    recreateChangedSearchIndexes: process.argv.includes('--recreate-changed-search-indexes'),
  })
  for (const a of actions)
    console.log(`${a.action.padEnd(9)} ${a.kind.padEnd(15)} ${a.name}${a.detail ? ` (${a.detail})` : ''}`)
  const differs = actions.filter((a) => a.action === 'differs')
  if (differs.length > 0)
    console.log(
      `${differs.length} search index(es) differ from the code: rerun with --recreate-changed-search-indexes, or rebuild through the service`,
    )
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error)
  process.exit(1)
})
