/**
 * @module CreateTable, ListTable, DescribeTable, UpdateTable, DeleteTable, CreateIndex, DropIndex.
 */
import { alreadyExist, invalidParameter, notExist, tableQuotaExceeded, unsupported } from '../errors.ts'
import type {
  CreateIndexRequestMsg,
  CreateTableRequestMsg,
  DropIndexRequestMsg,
  IndexMetaMsg,
  TableNameRequestMsg,
  TableOptionsMsg,
  UpdateTableRequestMsg,
} from '../protocol/messages.ts'
import { has, mainMessage } from '../protocol/proto.ts'
import type {
  DefinedColumnSchema,
  DefinedType,
  PkColumnSchema,
  PkType,
  TableOptions,
} from '../store/schema.ts'
import { validateName } from '../store/schema.ts'
import type { SecondaryIndexMeta } from '../store/secondary-index.ts'
import { SecondaryIndex } from '../store/secondary-index.ts'
import { Table } from '../store/table.ts'
import type { EmulatorState, Handler } from './context.ts'
import { decodeRequest, respond } from './context.ts'

const PK_TYPES: Record<number, PkType> = { 1: 'INTEGER', 2: 'STRING', 3: 'BINARY' }
const PK_TYPE_NUM: Record<PkType, number> = { INTEGER: 1, STRING: 2, BINARY: 3 }
const DEFINED_TYPES: Record<number, DefinedType> = {
  1: 'INTEGER',
  2: 'DOUBLE',
  3: 'BOOLEAN',
  4: 'STRING',
  7: 'BINARY',
}
const DEFINED_TYPE_NUM: Record<DefinedType, number> = {
  INTEGER: 1,
  DOUBLE: 2,
  BOOLEAN: 3,
  STRING: 4,
  BINARY: 7,
}

function parsePrimaryKey(msg: CreateTableRequestMsg): PkColumnSchema[] {
  const pk = msg.tableMeta.primaryKey
  if (pk.length < 1 || pk.length > 4)
    throw invalidParameter('The number of primary key columns must be in range: [1, 4].')
  const seen = new Set<string>()
  return pk.map((col, i) => {
    validateName('primary key column', col.name)
    if (seen.has(col.name)) throw invalidParameter(`Duplicated primary key name: ${col.name}.`)
    seen.add(col.name)
    const type = PK_TYPES[col.type]
    if (!type) throw invalidParameter(`Invalid primary key type ${col.type} for ${col.name}.`)
    const autoIncrement = has(col, 'option') && col.option === 1
    if (autoIncrement && type !== 'INTEGER')
      throw invalidParameter('An auto-increment column must be INTEGER.')
    if (autoIncrement && i === 0)
      throw invalidParameter('The partition key cannot be an auto-increment column.')
    return { name: col.name, type, autoIncrement }
  })
}

function parseDefined(msg: CreateTableRequestMsg, pk: readonly PkColumnSchema[]): DefinedColumnSchema[] {
  return msg.tableMeta.definedColumn.map((col) => {
    validateName('defined column', col.name)
    if (pk.some((p) => p.name === col.name))
      throw invalidParameter(`Defined column ${col.name} clashes with a primary key column.`)
    const type = DEFINED_TYPES[col.type]
    if (!type) throw invalidParameter(`Invalid defined column type ${col.type} for ${col.name}.`)
    return { name: col.name, type }
  })
}

function parseOptions(msg: TableOptionsMsg | undefined, current?: TableOptions): TableOptions {
  const timeToLive = msg && has(msg, 'timeToLive') ? (msg.timeToLive ?? -1) : (current?.timeToLive ?? -1)
  const maxVersions = msg && has(msg, 'maxVersions') ? (msg.maxVersions ?? 1) : (current?.maxVersions ?? 1)
  const allowUpdate =
    msg && has(msg, 'allowUpdate') ? msg.allowUpdate !== false : (current?.allowUpdate ?? true)
  // Data expiry is not emulated; refusing it is safer than keeping rows production would drop.
  if (timeToLive !== -1) throw unsupported('time_to_live other than -1 (data expiry)')
  if (maxVersions < 1) throw invalidParameter('max_versions must be at least 1.')
  return { timeToLive, maxVersions, allowUpdate }
}

function indexMeta(msg: IndexMetaMsg): SecondaryIndexMeta {
  return {
    name: msg.name,
    primaryKey: msg.primaryKey,
    definedColumns: msg.definedColumn,
    updateMode: msg.indexUpdateMode,
    indexType: msg.indexType,
  }
}

/**
 * Refuses a CreateTable or CreateIndex that would take the instance past its table quota. General
 * limits (https://help.aliyun.com/en/tablestore/product-overview/general-limits-of-tablestore/):
 * "Number of tables in an instance: 64 ... includes the number of data tables, secondary index
 * tables ..."; CreateTable (https://www.alibabacloud.com/help/doc-detail/27312.html): "You can create
 * up to 64 tables in a single instance."
 */
function checkTableQuota(state: EmulatorState, adding: number): void {
  if (state.catalog.tableCount() + adding > state.maxTables) throw tableQuotaExceeded(state.maxTables)
}

function addIndex(state: EmulatorState, table: Table, meta: SecondaryIndexMeta, backfill: boolean): void {
  if (state.catalog.nameTaken(meta.name) || table.secondaryIndexes.has(meta.name))
    throw alreadyExist(`Index ${meta.name} already exists.`)
  const index = new SecondaryIndex(meta, table.primaryKey, table.definedColumns, state.secondaryIndexLagMs)
  const now = state.now()
  if (backfill) for (const row of table.rows.all()) index.apply(undefined, row, now)
  table.secondaryIndexes.set(meta.name, index)
}

const createTable: Handler = (state, body) => {
  const msg = decodeRequest<CreateTableRequestMsg>(mainMessage('CreateTableRequest'), body)
  validateName('table', msg.tableMeta.tableName)
  const pk = parsePrimaryKey(msg)
  const defined = parseDefined(msg, pk)
  if (msg.streamSpec?.enableStream) throw unsupported('Stream')
  const cu = msg.reservedThroughput.capacityUnit
  const table = new Table(msg.tableMeta.tableName, pk, defined, parseOptions(msg.tableOptions), {
    read: cu.read ?? 0,
    write: cu.write ?? 0,
  })
  if (state.catalog.nameTaken(table.name)) throw alreadyExist('Requested table already exists.')
  checkTableQuota(state, 1 + msg.indexMetas.length)
  for (const meta of msg.indexMetas) addIndex(state, table, indexMeta(meta), false)
  table.readyAt = state.now() + state.tableReadyMs
  state.catalog.add(table)
  return respond(mainMessage('CreateTableResponse'), {})
}

const listTable: Handler = (state) =>
  respond(mainMessage('ListTableResponse'), { tableNames: state.catalog.names() })

function describeIndexes(table: Table): object[] {
  return [...table.secondaryIndexes.values()].map(({ meta }) => ({
    name: meta.name,
    primaryKey: [...meta.primaryKey],
    definedColumn: [...meta.definedColumns],
    indexUpdateMode: meta.updateMode,
    indexType: meta.indexType,
    indexSyncPhase: 2, // ISP_INCR: the emulator's indexes are always caught up
  }))
}

function optionsMsg(o: TableOptions): object {
  return {
    timeToLive: o.timeToLive,
    maxVersions: o.maxVersions,
    deviationCellVersionInSec: 86400,
    allowUpdate: o.allowUpdate,
  }
}

function throughputMsg(table: Table): object {
  return {
    capacityUnit: { read: table.reservedThroughput.read, write: table.reservedThroughput.write },
    lastIncreaseTime: Math.floor(table.createdAt / 1000),
  }
}

const describeTable: Handler = (state, body) => {
  const msg = decodeRequest<TableNameRequestMsg>(mainMessage('DescribeTableRequest'), body)
  const table = state.catalog.table(msg.tableName)
  return respond(mainMessage('DescribeTableResponse'), {
    tableMeta: {
      tableName: table.name,
      primaryKey: table.primaryKey.map((c) => ({
        name: c.name,
        type: PK_TYPE_NUM[c.type],
        ...(c.autoIncrement ? { option: 1 } : {}),
      })),
      definedColumn: table.definedColumns.map((c) => ({ name: c.name, type: DEFINED_TYPE_NUM[c.type] })),
    },
    reservedThroughputDetails: throughputMsg(table),
    tableOptions: optionsMsg(table.options),
    tableStatus: 1,
    streamDetails: { enableStream: false },
    indexMetas: describeIndexes(table),
  })
}

const updateTable: Handler = (state, body) => {
  const msg = decodeRequest<UpdateTableRequestMsg>(mainMessage('UpdateTableRequest'), body)
  const table = state.catalog.table(msg.tableName)
  if (msg.streamSpec?.enableStream) throw unsupported('Stream')
  const options = parseOptions(msg.tableOptions, table.options)
  if (options.maxVersions !== 1 && state.search.forTable(table.name).length > 0)
    throw invalidParameter('A table with a search index must keep max_versions = 1.')
  table.options = options
  const cu = msg.reservedThroughput?.capacityUnit
  if (cu)
    table.reservedThroughput = {
      read: cu.read ?? table.reservedThroughput.read,
      write: cu.write ?? table.reservedThroughput.write,
    }
  return respond(mainMessage('UpdateTableResponse'), {
    reservedThroughputDetails: throughputMsg(table),
    tableOptions: optionsMsg(table.options),
  })
}

const deleteTable: Handler = (state, body) => {
  const msg = decodeRequest<TableNameRequestMsg>(mainMessage('DeleteTableRequest'), body)
  const table = state.catalog.remove(msg.tableName)
  state.search.dropTable(table.name)
  return respond(mainMessage('DeleteTableResponse'), {})
}

const createIndex: Handler = (state, body) => {
  const msg = decodeRequest<CreateIndexRequestMsg>(mainMessage('CreateIndexRequest'), body)
  const table = state.catalog.table(msg.mainTableName)
  checkTableQuota(state, 1)
  addIndex(state, table, indexMeta(msg.indexMeta), msg.includeBaseData === true)
  return respond(mainMessage('CreateIndexResponse'), {})
}

const dropIndex: Handler = (state, body) => {
  const msg = decodeRequest<DropIndexRequestMsg>(mainMessage('DropIndexRequest'), body)
  const table = state.catalog.table(msg.mainTableName)
  if (!table.secondaryIndexes.delete(msg.indexName)) throw notExist(`Index ${msg.indexName} does not exist.`)
  return respond(mainMessage('DropIndexResponse'), {})
}

export const tableHandlers: Readonly<Record<string, Handler>> = {
  CreateTable: createTable,
  ListTable: listTable,
  DescribeTable: describeTable,
  UpdateTable: updateTable,
  DeleteTable: deleteTable,
  CreateIndex: createIndex,
  DropIndex: dropIndex,
}
