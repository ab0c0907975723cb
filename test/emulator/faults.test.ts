/**
 * @module The emulator's fault injection (issue #8) seen through the real SDK: the codes and HTTP
 * statuses of refusals, writes applied before a failure or a dropped connection, slow answers,
 * counts and rates, and runs that repeat exactly under the same seed.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { FaultInjector, parseFaultSpec } from '../../emulator/index.ts'
import type { Harness } from './helpers.ts'
import { attrs, createTable, expectOtsError, ignore, startHarness } from './helpers.ts'

let h: Harness
beforeAll(async () => {
  h = await startHarness()
  await createTable(h.client, 'f')
})
afterAll(async () => {
  await h.emu.close()
})
beforeEach(() => {
  h.emu.faults.clear()
})

const put = (id: string, v: string) =>
  h.client.putRow({ tableName: 'f', condition: ignore(), primaryKey: [{ id }], attributeColumns: [{ v }] })
const read = async (id: string) =>
  attrs((await h.client.getRow({ tableName: 'f', primaryKey: [{ id }] })).row)

describe('emulator fault injection', () => {
  it.each([
    ['busy', 503, 'OTSServerBusy'],
    ['partition-unavailable', 503, 'OTSPartitionUnavailable'],
    ['capacity', 403, 'OTSNotEnoughCapacityUnit'],
    ['quota', 403, 'OTSQuotaExhausted'],
    ['conflict', 409, 'OTSRowOperationConflict'],
  ] as const)('%s is refused with %i %s and nothing is written', async (kind, status, code) => {
    h.emu.faults.inject({ kind, operations: ['PutRow'], count: 1 })
    await expectOtsError(put(`refused-${kind}`, 'x'), status, code)
    expect(await read(`refused-${kind}`)).toEqual({})
    await put(`refused-${kind}`, 'y') // the count is spent
    expect(await read(`refused-${kind}`)).toEqual({ v: 'y' })
  })

  it('an ambiguous error after the write: 503 OTSTimeout, yet the row is there', async () => {
    h.emu.faults.inject({ kind: 'timeout', phase: 'after', count: 1 })
    await expectOtsError(put('timeout-after', 'x'), 503, 'OTSTimeout')
    expect(await read('timeout-after')).toEqual({ v: 'x' })
  })

  it('drops the connection before or after applying the write', async () => {
    h.emu.faults.inject({ kind: 'drop', operations: ['PutRow'], count: 1 })
    await expect(put('dropped-before', 'x')).rejects.toMatchObject({ code: 'NetworkingError' })
    expect(await read('dropped-before')).toEqual({})
    h.emu.faults.inject({ kind: 'drop', operations: ['PutRow'], phase: 'after', count: 1 })
    await expect(put('dropped-after', 'x')).rejects.toMatchObject({ code: 'NetworkingError' })
    expect(await read('dropped-after')).toEqual({ v: 'x' })
  })

  it('holds a slow answer back; the write lands even when the client stopped waiting', async () => {
    h.emu.faults.inject({ kind: 'slow', delayMs: 150, count: 1 })
    const started = Date.now()
    await put('slow', 'x')
    expect(Date.now() - started).toBeGreaterThanOrEqual(140)
    expect(await read('slow')).toEqual({ v: 'x' })
  })

  it('fires at the given rate, reproducibly for one seed', () => {
    /** Which of 1000 requests got the fault (the choice is made synchronously, at the call). */
    const fired = (seed: number) => {
      const f = new FaultInjector(seed).inject({ kind: 'busy', rate: 0.3 })
      const out: number[] = []
      for (let i = 0; i < 1000; i++) {
        const before = f.events.length
        f.run('GetRow', new Uint8Array(), {} as never, () => new Uint8Array()).catch(() => {})
        if (f.events.length > before) out.push(i)
      }
      return out
    }
    const a = fired(42)
    expect(a.length).toBeGreaterThan(250)
    expect(a.length).toBeLessThan(350)
    expect(fired(42)).toEqual(a)
    expect(fired(43)).not.toEqual(a)
  })

  it('only touches the operations it names', async () => {
    h.emu.faults.inject({ kind: 'busy', operations: ['GetRow'] })
    await put('named', 'x')
    await expectOtsError(
      h.client.getRow({ tableName: 'f', primaryKey: [{ id: 'named' }] }),
      503,
      'OTSServerBusy',
    )
    expect(h.emu.faults.counts()).toMatchObject({ busy: expect.any(Number) })
  })

  it('only touches the tables it names, batches included', async () => {
    await createTable(h.client, 'other')
    h.emu.faults.inject({ kind: 'busy', tables: ['other'] })
    await put('table-filter', 'x')
    await expectOtsError(
      h.client.putRow({
        tableName: 'other',
        condition: ignore(),
        primaryKey: [{ id: 'a' }],
        attributeColumns: [],
      }),
      503,
      'OTSServerBusy',
    )
    const batch = (tableName: string) =>
      h.client.batchWriteRow({
        tables: [
          {
            tableName,
            rows: [
              { type: 'PUT', condition: ignore(), primaryKey: [{ id: 'b' }], attributeColumns: [{ v: 'b' }] },
            ],
          },
        ],
      })
    await batch('f')
    await expectOtsError(batch('other'), 503, 'OTSServerBusy')
  })

  it('parses the CLI form', () => {
    expect(parseFaultSpec('busy:PutRow,GetRow@0.2')).toEqual({
      kind: 'busy',
      operations: ['PutRow', 'GetRow'],
      rate: 0.2,
    })
    expect(parseFaultSpec('drop+afterx3')).toEqual({ kind: 'drop', phase: 'after', count: 3 })
    expect(parseFaultSpec('slow~800@0.05')).toEqual({ kind: 'slow', delayMs: 800, rate: 0.05 })
    expect(() => parseFaultSpec('melt')).toThrow(/unknown fault kind 'melt'/)
    expect(() => new FaultInjector().inject({ kind: 'melt' as 'busy' })).toThrow(/unknown fault kind/)
    expect(() => new FaultInjector().inject({ kind: 'busy', phase: 'after' })).toThrow(/refusal/)
  })
})
