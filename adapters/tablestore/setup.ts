/**
 * @module Creates or migrates the adapter's tables and indexes, idempotently: what exists is left
 * alone, what is missing is created (tables, global secondary indexes, search indexes). A search
 * index is named after its whole definition (`field-definitions.ts`): when the code's definition
 * changed, the new index is built beside the old one and waited for until it has caught up, while
 * the running code keeps reading the old one (no search outage); the old one is dropped only when
 * asked, once no running code reads it.
 */
import type { TablestoreClient } from './client.ts'
import { otsCode } from './client.ts'
import { DEFAULTS, type ResolvedOptions } from './config.ts'
import { type DescribedField, fieldDifferences } from './field-definitions.ts'
import { checkTableQuota } from './quota.ts'
import { pollUntil, waitTableReady } from './readiness.ts'
import { jobTables, recordTables, searchTables, type TableSpec } from './schema.ts'
import { ColumnReturnType, QueryType, SyncPhase } from './sdk-constants.ts'

export interface SetupAction {
  kind: 'table' | 'secondary-index' | 'search-index'
  name: string
  /**
   * `migrated`: a search index of the code's definition was built beside the one of an earlier
   * definition and has caught up; `previous`: that earlier index, kept for code still reading it;
   * `differs`: the index of the code's name does not have the code's fields (changed outside).
   */
  action: 'created' | 'exists' | 'differs' | 'migrated' | 'previous' | 'dropped'
  detail?: string
}

export interface SetupOptions {
  /** Which tables: the record store's, the search backend's, the job store's, or all. @default 'all' */
  scope?: 'record' | 'search' | 'jobs' | 'all'
  /** Drop search indexes of earlier definitions (once no running code reads them). @default false */
  dropPreviousSearchIndexes?: boolean
  /** How long a migrated search index may take to catch up. @default 600000 */
  indexCatchUpTimeoutMs?: number
  /** How long a new table may take to answer reads and writes (see `readiness.ts`). @default 120000 */
  tableReadyTimeoutMs?: number
  /** When given, missing tables are created only if they fit under the instance's quota (see `quota.ts`). */
  quota?: { prefix: string; tables: number }
}

export function specsFor(prefix: string, scope: SetupOptions['scope'] = 'all'): TableSpec[] {
  if (scope === 'record') return recordTables(prefix)
  if (scope === 'search') return searchTables(prefix)
  if (scope === 'jobs') return jobTables(prefix)
  return [...recordTables(prefix), ...searchTables(prefix), ...jobTables(prefix)]
}

/**
 * The tables of `scope`, created on first use when `ensureTables` is on: the returned function
 * starts the creation once and every later call awaits that same promise.
 */
export function tablesOnFirstUse(
  client: TablestoreClient,
  options: Pick<ResolvedOptions, 'ensureTables' | 'tablePrefix' | 'tableReadyTimeoutMs'>,
  scope: SetupOptions['scope'],
): () => Promise<void> {
  let ready: Promise<void> | undefined
  return () => {
    if (!options.ensureTables) return Promise.resolve()
    ready ??= ensureTables(client, specsFor(options.tablePrefix, scope), {
      tableReadyTimeoutMs: options.tableReadyTimeoutMs,
    }).then(() => {})
    return ready
  }
}

/** Tables a spec occupies under the quota: the data table and its secondary indexes. */
const tablesOf = (spec: TableSpec) => 1 + (spec.secondaryIndexes?.length ?? 0)

export async function ensureTables(
  client: TablestoreClient,
  specs: readonly TableSpec[],
  options: SetupOptions = {},
): Promise<SetupAction[]> {
  const existing = new Set((await client.call('listTable', {})).tableNames)
  const missing = specs.filter((spec) => !existing.has(spec.name))
  if (options.quota && missing.length > 0)
    await checkTableQuota(client, {
      prefix: options.quota.prefix,
      quota: options.quota.tables,
      more: missing.reduce((n, spec) => n + tablesOf(spec), 0),
      why: `creating ${missing.map((spec) => spec.name).join(', ')}`,
    })
  // Side by side: each new table takes its readiness window (about a minute on Tablestore) once.
  const perSpec = await Promise.all(
    specs.map(async (spec): Promise<SetupAction[]> => {
      const actions: SetupAction[] = []
      if (!existing.has(spec.name)) {
        await createTable(client, spec, options.tableReadyTimeoutMs ?? DEFAULTS.tableReadyTimeoutMs)
        actions.push({ kind: 'table', name: spec.name, action: 'created' })
        for (const index of spec.secondaryIndexes ?? [])
          actions.push({ kind: 'secondary-index', name: index.name, action: 'created' })
      } else {
        actions.push({ kind: 'table', name: spec.name, action: 'exists' })
        actions.push(...(await ensureSecondaryIndexes(client, spec)))
      }
      if (spec.searchIndex) actions.push(...(await ensureSearchIndex(client, spec, options)))
      return actions
    }),
  )
  return perSpec.flat()
}

/** Creates a table (and its secondary indexes) and waits until they take reads and writes. */
async function createTable(client: TablestoreClient, spec: TableSpec, readyTimeoutMs: number): Promise<void> {
  await client
    .call('createTable', {
      tableMeta: {
        tableName: spec.name,
        primaryKey: spec.primaryKey.map((pk) => ({
          name: pk.name,
          type: pk.type,
          ...(pk.autoIncrement ? { option: 'AUTO_INCREMENT' } : {}),
        })),
        ...(spec.definedColumns ? { definedColumn: spec.definedColumns } : {}),
      },
      reservedThroughput: { capacityUnit: { read: 0, write: 0 } },
      tableOptions: { timeToLive: -1, maxVersions: 1 },
      ...(spec.secondaryIndexes
        ? {
            indexMetas: spec.secondaryIndexes.map((i) => ({
              name: i.name,
              primaryKey: i.primaryKey,
              definedColumn: i.definedColumns,
            })),
          }
        : {}),
    })
    .catch((error: unknown) => {
      // Another process created it first: the same outcome.
      if (otsCode(error) !== 'OTSObjectAlreadyExist') throw error
    })
  await waitTableReady(client, spec, readyTimeoutMs)
  for (const index of spec.secondaryIndexes ?? [])
    await waitTableReady(
      client,
      { name: index.name, primaryKey: index.primaryKey.map((name) => ({ name, type: 'STRING' })) },
      readyTimeoutMs,
    )
}

async function ensureSecondaryIndexes(client: TablestoreClient, spec: TableSpec): Promise<SetupAction[]> {
  if (!spec.secondaryIndexes?.length) return []
  const described = await client.call('describeTable', { tableName: spec.name })
  const have = new Set((described.indexMetas ?? []).map((i) => i.name))
  const actions: SetupAction[] = []
  for (const index of spec.secondaryIndexes) {
    if (have.has(index.name)) {
      actions.push({ kind: 'secondary-index', name: index.name, action: 'exists' })
      continue
    }
    await client.call('createIndex', {
      mainTableName: spec.name,
      indexMeta: { name: index.name, primaryKey: index.primaryKey, definedColumn: index.definedColumns },
      includeBaseData: true,
    })
    actions.push({ kind: 'secondary-index', name: index.name, action: 'created' })
  }
  return actions
}

async function ensureSearchIndex(
  client: TablestoreClient,
  spec: TableSpec,
  options: SetupOptions,
): Promise<SetupAction[]> {
  const search = spec.searchIndex
  if (!search) throw new Error('unreachable')
  const action = (name: string, what: SetupAction['action'], detail?: string): SetupAction => ({
    kind: 'search-index',
    name,
    action: what,
    ...(detail ? { detail } : {}),
  })
  const listed = (await client.call('listSearchIndex', { tableName: spec.name })).indices.map(
    (i) => i.indexName,
  )
  const previous = listed.filter((name) => name !== search.name)
  const describe = async (indexName: string) =>
    ((await client.call('describeSearchIndex', { tableName: spec.name, indexName })).schema?.fieldSchemas ??
      []) as DescribedField[]
  const actions: SetupAction[] = []
  if (listed.includes(search.name)) {
    // Same name, same definition by construction; anything else was changed outside this code.
    const differences = fieldDifferences(await describe(search.name), search.fieldSchemas)
    actions.push(
      differences.length === 0
        ? action(search.name, 'exists')
        : action(search.name, 'differs', differences.join('; ')),
    )
  } else {
    await client
      .call('createSearchIndex', {
        tableName: spec.name,
        indexName: search.name,
        schema: { fieldSchemas: search.fieldSchemas },
      })
      .catch((error: unknown) => {
        if (otsCode(error) !== 'OTSObjectAlreadyExist') throw error
      })
    const from = previous[0]
    if (from === undefined) actions.push(action(search.name, 'created'))
    else {
      // The running code reads `from` meanwhile: no search outage. The new index syncs the
      // table's rows itself; Tablestore's dynamic schema change (a new index with
      // source_index_name, https://help.aliyun.com/en/tablestore/dynamically-modify-schemas) can
      // also do that, but switching traffic needs UpdateSearchIndex's switch, which SDK 5.6.5
      // cannot send, so the switch here is the deployment of code that reads the new name.
      const differences = fieldDifferences(await describe(from), search.fieldSchemas)
      await waitCaughtUp(
        client,
        spec.name,
        search.name,
        from,
        options.indexCatchUpTimeoutMs ?? DEFAULTS.indexCatchUpTimeoutMs,
      )
      actions.push(
        action(search.name, 'migrated', `from ${from}: ${differences.join('; ') || 'same fields'}`),
      )
    }
  }
  for (const name of previous) {
    if (!options.dropPreviousSearchIndexes) {
      actions.push(
        action(
          name,
          'previous',
          'read by code of the earlier definition; drop it with --drop-previous-search-indexes once that code is gone',
        ),
      )
      continue
    }
    await client
      .call('deleteSearchIndex', { tableName: spec.name, indexName: name })
      .catch((error: unknown) => {
        if (otsCode(error) !== 'OTSObjectNotExist') throw error
      })
    actions.push(action(name, 'dropped'))
  }
  return actions
}

/**
 * Waits until a new index of a table shows what the previous one does: past its initial sync
 * (DescribeSearchIndex's sync phase FULL → INCR; "a new index requires up to 1 minute to
 * initialize", https://www.alibabacloud.com/help/en/tablestore/search-index-limits) and counting
 * at least as many rows. Bounded by `timeoutMs`.
 */
async function waitCaughtUp(
  client: TablestoreClient,
  table: string,
  indexName: string,
  previous: string,
  timeoutMs: number,
): Promise<void> {
  const count = async (name: string) =>
    Number(
      (
        await client.call('search', {
          tableName: table,
          indexName: name,
          searchQuery: { limit: 0, query: { queryType: QueryType.MATCH_ALL_QUERY }, getTotalCount: true },
          columnToGet: { returnType: ColumnReturnType.RETURN_NONE },
        })
      ).totalCounts ?? 0,
    )
  await pollUntil(
    async () => {
      const described = await client.call('describeSearchIndex', { tableName: table, indexName })
      if (described.syncStat?.syncPhase === SyncPhase.FULL) return false
      return (await count(indexName)) >= (await count(previous))
    },
    { timeoutMs, what: `the new search index ${indexName} to catch up with ${previous}` },
  )
}
