/**
 * @module Tablestore's table quota: an instance holds at most 64 tables, data tables and
 * secondary index tables together; search indexes are not counted ("Tablestore limits",
 * https://www.alibabacloud.com/help/en/tablestore/general-limits-of-tablestore: "Number of tables
 * in an instance: 64 ... the sum of data tables, secondary indexes, time series tables, Lastpoint
 * indexes and analytical stores"; the number of search indexes is unlimited). The quota can be
 * raised by a ticket, hence the `tableQuota` option.
 */
import type { TablestoreClient } from './client.ts'
import { TablestoreError } from './errors.ts'

/** Tablestore's documented default quota of tables per instance. */
export const TABLE_QUOTA = 64

export interface TableCount {
  /** Data and secondary index tables in the instance. */
  instance: number
  /** Those whose name starts with the deployment's prefix. */
  deployment: number
}

/**
 * Counts the instance's tables as the quota does. ListTable names data tables; the secondary
 * indexes of each come from DescribeTable (the docs do not say whether ListTable lists index
 * tables, so names are counted once either way).
 */
export async function countTables(client: TablestoreClient, prefix: string): Promise<TableCount> {
  const names = new Set((await client.call('listTable', {})).tableNames)
  const described = await Promise.all(
    [...names].map((tableName) => client.call('describeTable', { tableName })),
  )
  for (const table of described) for (const index of table.indexMetas ?? []) names.add(index.name)
  const mine = [...names].filter((name) => name.startsWith(prefix)).length
  return { instance: names.size, deployment: mine }
}

/** Creating this many more tables would pass the instance's quota: refused before anything is created. */
export class TableQuotaError extends TablestoreError {
  override readonly name = 'TableQuotaError'
}

/**
 * Secondary indexes a data table may have: 5 ("Secondary index limits",
 * https://alibabacloud.com/help/en/tablestore/secondary-index-limits).
 */
const INDEXES_PER_TABLE = 5

/** Throws {@link TableQuotaError} unless `more` tables fit under `quota` next to what the instance holds. */
export async function checkTableQuota(
  client: TablestoreClient,
  options: { prefix: string; quota: number; more: number; why: string },
): Promise<void> {
  // Far below the quota even if every table had its most secondary indexes: no need to describe each.
  const listed = (await client.call('listTable', {})).tableNames.length
  if (listed * (1 + INDEXES_PER_TABLE) + options.more <= options.quota) return
  const count = await countTables(client, options.prefix)
  if (count.instance + options.more <= options.quota) return
  throw new TableQuotaError(
    `${options.why} needs ${options.more} more table(s), but the instance already holds ${count.instance} of its ` +
      `${options.quota} (data and secondary index tables; ${count.deployment} of them this deployment's): ` +
      'drop unused tables or ask Alibaba Cloud to raise the quota, then set tableQuota',
    'createTable',
    'OTSQuotaExhausted',
    undefined,
  )
}
