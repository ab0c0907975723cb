/**
 * @module The Tablestore settings go through `loadConfig`, so the service and every command read
 * the same tables: `TABLESTORE_TABLE_PREFIX` included (setup used to read it alone).
 */
import { describe, expect, it } from 'vitest'
import { resolveOptions } from '../../adapters/tablestore/config.ts'
import { ConfigError, describeConfig, loadConfig } from '../../src/config.ts'

const CONNECTION = {
  IMSEARCH_BACKEND: 'tablestore',
  TABLESTORE_ENDPOINT: 'http://127.0.0.1:8900',
  TABLESTORE_INSTANCE: 'imsearch',
  TABLESTORE_ACCESS_KEY_ID: 'id',
  TABLESTORE_ACCESS_KEY_SECRET: 'secret-never-printed',
}

describe('Tablestore configuration', () => {
  it('reads TABLESTORE_TABLE_PREFIX, and the adapter options take it as they are', () => {
    const config = loadConfig({ ...CONNECTION, TABLESTORE_TABLE_PREFIX: 'chat_' })
    expect(config.tablestore?.tablePrefix).toBe('chat_')
    const options = resolveOptions(config.tablestore ?? missingSettings())
    expect(options.tablePrefix).toBe('chat_')
    expect(JSON.stringify(describeConfig(config))).not.toContain('secret-never-printed')
    expect(describeConfig(config).tablestore).toMatchObject({ tablePrefix: 'chat_' })
  })

  it('defaults the prefix to ims_, as the setup command always did', () => {
    expect(loadConfig(CONNECTION).tablestore?.tablePrefix).toBe('ims_')
  })

  it('refuses a prefix Tablestore cannot name a table with, naming the variable', () => {
    try {
      loadConfig({ ...CONNECTION, TABLESTORE_TABLE_PREFIX: '9-消息' })
      expect.unreachable('a bad prefix was accepted')
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError)
      expect((error as ConfigError).issues.map((i) => i.variable)).toEqual(['TABLESTORE_TABLE_PREFIX'])
    }
  })
})

function missingSettings(): never {
  throw new Error('loadConfig left out the Tablestore settings')
}
