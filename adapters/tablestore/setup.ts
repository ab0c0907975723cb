/**
 * @module Creates or migrates the adapter's tables and indexes, idempotently: what exists is left
 * alone, what is missing is created (tables, global secondary indexes, search indexes). A search
 * index whose fields differ from the code's is reported, and rebuilt only when asked: dropping
 * it makes search unavailable until Tablestore has re-indexed the table.
 */
import type { TablestoreClient } from './client.ts'
import { otsCode } from './client.ts'
import { DEFAULTS, type ResolvedOptions } from './config.ts'
import { checkTableQuota } from './quota.ts'
import { waitTableReady } from './readiness.ts'
import { jobTables, recordTables, searchTables, type TableSpec } from './schema.ts'

export interface SetupAction {
  kind: 'table' | 'secondary-index' | 'search-index'
  name: string
  action: 'created' | 'exists' | 'differs' | 'recreated'
  detail?: string
}

export interface SetupOptions {
  /** Which tables: the record store's, the search backend's, the job store's, or all. @default 'all' */
  scope?: 'record' | 'search' | 'jobs' | 'all'
  /** Drop and recreate a search index whose fields differ. @default false */
  recreateChangedSearchIndexes?: boolean
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
      if (spec.searchIndex) actions.push(await ensureSearchIndex(client, spec, options))
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
): Promise<SetupAction> {
  const search = spec.searchIndex
  if (!search) throw new Error('unreachable')
  const listed = await client.call('listSearchIndex', { tableName: spec.name })
  const create = () =>
    client.call('createSearchIndex', {
      tableName: spec.name,
      indexName: search.name,
      schema: { fieldSchemas: search.fieldSchemas },
    })
  if (!listed.indices.some((i) => i.indexName === search.name)) {
    await create().catch((error: unknown) => {
      if (otsCode(error) !== 'OTSObjectAlreadyExist') throw error
    })
    return { kind: 'search-index', name: search.name, action: 'created' }
  }
  const described = await client.call('describeSearchIndex', { tableName: spec.name, indexName: search.name })
  const have = (described.schema?.fieldSchemas ?? []).map((f) => f.fieldName).sort()
  const want = search.fieldSchemas.map((f) => f.fieldName).sort()
  if (have.join() === want.join()) return { kind: 'search-index', name: search.name, action: 'exists' }
  const detail = `fields ${have.join(',')} → ${want.join(',')}`
  if (!options.recreateChangedSearchIndexes)
    return { kind: 'search-index', name: search.name, action: 'differs', detail }
  await client.call('deleteSearchIndex', { tableName: spec.name, indexName: search.name })
  await create()
  return { kind: 'search-index', name: search.name, action: 'recreated', detail }
}
