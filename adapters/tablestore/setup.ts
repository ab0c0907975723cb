/**
 * @module Creates or migrates the adapter's tables and indexes, idempotently: what exists is left
 * alone, what is missing is created (tables, global secondary indexes, search indexes). A search
 * index whose fields differ from the code's is reported, and rebuilt only when asked: dropping
 * it makes search unavailable until Tablestore has re-indexed the table.
 */
import type { TablestoreClient } from './client.ts'
import { otsCode } from './client.ts'
import type { ResolvedOptions } from './config.ts'
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
  options: Pick<ResolvedOptions, 'ensureTables' | 'tablePrefix'>,
  scope: SetupOptions['scope'],
): () => Promise<void> {
  let ready: Promise<void> | undefined
  return () => {
    if (!options.ensureTables) return Promise.resolve()
    ready ??= ensureTables(client, specsFor(options.tablePrefix, scope)).then(() => {})
    return ready
  }
}

export async function ensureTables(
  client: TablestoreClient,
  specs: readonly TableSpec[],
  options: SetupOptions = {},
): Promise<SetupAction[]> {
  const actions: SetupAction[] = []
  const existing = new Set((await client.call('listTable', {})).tableNames)
  for (const spec of specs) {
    if (!existing.has(spec.name)) {
      await createTable(client, spec)
      actions.push({ kind: 'table', name: spec.name, action: 'created' })
      for (const index of spec.secondaryIndexes ?? [])
        actions.push({ kind: 'secondary-index', name: index.name, action: 'created' })
    } else {
      actions.push({ kind: 'table', name: spec.name, action: 'exists' })
      actions.push(...(await ensureSecondaryIndexes(client, spec)))
    }
    if (spec.searchIndex) actions.push(await ensureSearchIndex(client, spec, options))
  }
  return actions
}

function createTable(client: TablestoreClient, spec: TableSpec): Promise<unknown> {
  return client
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
