/**
 * @module Setup compares whole search index definitions and migrates a changed one without a
 * search outage (issue #12): the code's index is named after its definition, built beside the
 * index an earlier definition made, and waited for until it has caught up (its initial sync, then
 * the same row count), while the old one keeps answering; the old one goes only when asked.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { TablestoreClient } from '../../adapters/tablestore/client.ts'
import { resolveOptions } from '../../adapters/tablestore/config.ts'
import { canonicalFields, fieldDifferences } from '../../adapters/tablestore/field-definitions.ts'
import { createTablestoreBackend } from '../../adapters/tablestore/index.ts'
import { SCORE_COLUMN } from '../../adapters/tablestore/index-fields.ts'
import {
  docTable,
  type SearchFieldSchema,
  searchFields,
  searchIndexName,
} from '../../adapters/tablestore/schema.ts'
import { ColumnReturnType, QueryType } from '../../adapters/tablestore/sdk-constants.ts'
import { ensureTables, specsFor } from '../../adapters/tablestore/setup.ts'
import type { RunningEmulator } from '../../emulator/index.ts'
import type { UserDocument } from '../../src/ports/documents.ts'
import { nameFields } from '../../src/services/documents.ts'
import { emulatorOptions, startStrictEmulator } from './emulator-options.ts'

const field = (name: string, fields: readonly SearchFieldSchema[]) => {
  const found = fields.find((f) => f.fieldName === name)
  if (!found) throw new Error(`no field ${name}`)
  return found
}

describe('whole field definitions', () => {
  const users = searchFields('users')

  it('the code and DescribeSearchIndex shapes of one definition are equal', () => {
    // What DescribeSearchIndex answers: protobuf names, options that are off left out.
    const described = users.map(({ isAnArray, enableSortAndAgg, ...rest }) => ({
      ...rest,
      ...(isAnArray ? { isArray: true } : {}),
      ...(enableSortAndAgg ? { docValues: true } : { docValues: null }),
    }))
    expect(canonicalFields(described)).toEqual(canonicalFields(users))
    expect(fieldDifferences(described, users)).toEqual([])
  })

  it('a changed type, analyzer parameter, array flag, sort/agg or highlighting is a difference', () => {
    const changed = users.map((f) => {
      if (f.fieldName === 'nameCompact') return { ...f, analyzerParameter: { minChars: 2, maxChars: 7 } }
      if (f.fieldName === 'nameWords') return { ...f, isAnArray: false }
      if (f.fieldName === 'userId') return { ...f, enableSortAndAgg: false }
      if (f.fieldName === SCORE_COLUMN) return { ...f, enableHighlighting: false }
      if (f.fieldName === 'discoverable') return { ...f, fieldType: field('userId', users).fieldType }
      return f
    })
    const lines = fieldDifferences(changed, users)
    expect(lines).toHaveLength(5)
    expect(lines.join('\n')).toMatch(/nameCompact: analyzerParameter/)
    expect(lines.join('\n')).toMatch(/nameWords: array false → true/)
    expect(lines.join('\n')).toMatch(/userId: sortAndAgg false → true/)
    expect(lines.join('\n')).toMatch(/_score: highlighting false → true/)
    expect(lines.join('\n')).toMatch(/discoverable: type/)
    expect(fieldDifferences(users.slice(1), users)).toEqual([`${users[0]?.fieldName}: added`])
  })
})

describe('migrating a changed search index on the emulator', () => {
  let emu: RunningEmulator
  beforeAll(async () => {
    emu = await startStrictEmulator({ indexReadyMs: 300, indexLagMs: 20 })
  })
  afterAll(async () => {
    await emu?.close()
  })

  it('builds the new index beside the old one, which answers in full meanwhile; drops the old one only when asked', async () => {
    const options = emulatorOptions(emu, 'mig_')
    const client = new TablestoreClient(resolveOptions(options))
    const backend = createTablestoreBackend(options)
    const people: UserDocument[] = Array.from({ length: 40 }, (_, n) => ({
      userId: `u${n}`,
      ...nameFields(n % 2 ? `王芳 ${n}` : `Grace ${n}`),
      tags: [],
      discoverable: true,
    }))
    await backend.index('users', people)
    await backend.settle()
    const table = docTable('mig_', 'users', 1)
    const current = searchIndexName(table, 'users')
    // The deployment as an earlier definition (no _score column) left it: only its index.
    const old = `${table}_earlier`
    await client.call('createSearchIndex', {
      tableName: table,
      indexName: old,
      schema: { fieldSchemas: searchFields('users').filter((f) => f.fieldName !== SCORE_COLUMN) },
    })
    await client.call('deleteSearchIndex', { tableName: table, indexName: current })
    const count = async (indexName: string) =>
      Number(
        (
          await client.call('search', {
            tableName: table,
            indexName,
            searchQuery: { limit: 0, query: { queryType: QueryType.MATCH_ALL_QUERY }, getTotalCount: true },
            columnToGet: { returnType: ColumnReturnType.RETURN_NONE },
          })
        ).totalCounts,
      )
    while ((await count(old)) < people.length) await new Promise((r) => setTimeout(r, 20))

    // Setup with the code's definition, while the earlier code keeps searching its index.
    let migrating = true
    const outages: number[] = []
    const reader = (async () => {
      while (migrating) {
        const n = await count(old)
        if (n !== people.length) outages.push(n)
        await new Promise((r) => setTimeout(r, 10))
      }
    })()
    const actions = await ensureTables(client, specsFor('mig_', 'search'))
    migrating = false
    await reader
    expect(outages).toEqual([])
    const mine = actions.filter((a) => a.kind === 'search-index' && a.name.startsWith(table))
    expect(mine.map((a) => [a.name, a.action])).toEqual([
      [current, 'migrated'],
      [old, 'previous'],
    ])
    expect(mine[0]?.detail).toMatch(/_score: added/)
    // The new index is caught up: the code reads all of it at once.
    expect((await backend.stats('users')).documents).toBe(people.length)
    expect((await backend.search('users', { query: { match_all: {} }, limit: 100 })).total).toBe(
      people.length,
    )

    const again = await ensureTables(client, specsFor('mig_', 'search'), { dropPreviousSearchIndexes: true })
    expect(again.filter((a) => a.name.startsWith(table)).map((a) => [a.name, a.action])).toContainEqual([
      old,
      'dropped',
    ])
    expect(
      (await client.call('listSearchIndex', { tableName: table })).indices.map((i) => i.indexName),
    ).toEqual([current])
    const settled = await ensureTables(client, specsFor('mig_', 'search'))
    expect(settled.find((a) => a.name === current)).toEqual({
      kind: 'search-index',
      name: current,
      action: 'exists',
    })
    await backend.close()
  }, 60_000)
})
