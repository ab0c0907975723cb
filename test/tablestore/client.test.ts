/** @module The client's retry policy with a fake SDK client: what is retried, how often, and what gives up. */
import { describe, expect, it } from 'vitest'
import { backoffMs, retryClass, TablestoreClient } from '../../adapters/tablestore/client.ts'
import { resolveOptions } from '../../adapters/tablestore/config.ts'
import { BackendUnavailableError, TablestoreError } from '../../adapters/tablestore/errors.ts'
import type { TablestoreClientLike } from '../../adapters/tablestore/sdk.ts'
import { BackendUnavailableError as PortUnavailable } from '../../src/ports/search-backend.ts'

/** An error as the SDK reports a Tablestore error: HTTP status as `code`, protobuf bytes as text. */
const otsError = (status: number, code: string) =>
  Object.assign(new Error(`\n\u0011${code}\u0012\u0004busy requestId:1`), { code: status })

function clientFailing(errors: unknown[]) {
  let calls = 0
  const fake = {
    getRow: async () => {
      const error = errors[calls++]
      if (error) throw error
      return { row: {} }
    },
    putRow: async () => {
      const error = errors[calls++]
      if (error) throw error
      return { row: {} }
    },
  } as unknown as TablestoreClientLike
  const sleeps: number[] = []
  const client = new TablestoreClient(
    resolveOptions({
      endpoint: 'http://x',
      instance: 'i',
      accessKeyId: 'a',
      accessKeySecret: 's',
      retry: { maxRetries: 3 },
    }),
    { create: () => fake, sleep: async (ms) => void sleeps.push(ms), random: () => 0.5 },
  )
  return { client, sleeps, calls: () => calls }
}

describe('tablestore client', () => {
  it('classifies errors', () => {
    expect(retryClass(otsError(503, 'OTSServerBusy'))).toBe('refused')
    expect(retryClass(otsError(503, 'OTSTimeout'))).toBe('ambiguous')
    expect(retryClass(Object.assign(new Error('connect'), { code: 'ECONNRESET' }))).toBe('ambiguous')
    expect(retryClass(otsError(403, 'OTSConditionCheckFail'))).toBeUndefined()
  })

  // Issue #8: the classes follow Tablestore's own SDKs' retry strategies.
  it('classifies throttling as refused, and server unavailability as ambiguous (#8)', () => {
    const quota = (text: string) =>
      Object.assign(new Error(`\n\u0011OTSQuotaExhausted\u0012\u001e${text} requestId:1`), { code: 403 })
    expect(retryClass(quota('Too frequent table operations.'))).toBe('refused')
    expect(retryClass(quota('Number of tables exceeded the quota.'))).toBeUndefined()
    expect(retryClass(otsError(403, 'OTSNotEnoughCapacityUnit'))).toBe('refused')
    expect(retryClass(otsError(409, 'OTSRowOperationConflict'))).toBe('refused')
    expect(retryClass(otsError(503, 'OTSServerUnavailable'))).toBe('ambiguous')
    expect(retryClass(otsError(503, 'OTSSomethingNew'))).toBe('ambiguous')
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'NetworkingError' })
    expect(retryClass(refused)).toBe('refused')
  })

  it('backs off exponentially with full jitter, capped', () => {
    const policy = { maxRetries: 5, baseDelayMs: 100, maxDelayMs: 3000 }
    expect([1, 2, 3, 6].map((a) => backoffMs(policy, a, () => 0.999))).toEqual([99, 199, 399, 2997])
    expect(backoffMs(policy, 3, () => 0)).toBe(0)
  })

  it('retries throttling, then succeeds', async () => {
    const { client, sleeps, calls } = clientFailing([
      otsError(503, 'OTSServerBusy'),
      otsError(503, 'OTSServerBusy'),
    ])
    await expect(client.call('getRow', {})).resolves.toEqual({ row: {} })
    expect(calls()).toBe(3)
    expect(sleeps).toEqual([50, 100])
  })

  it('gives up after maxRetries with a BackendUnavailableError (the port 503 class)', async () => {
    const busy = otsError(503, 'OTSServerBusy')
    const { client, calls } = clientFailing([busy, busy, busy, busy, busy])
    const error = await client.call('getRow', {}).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(BackendUnavailableError)
    expect(error).toBeInstanceOf(PortUnavailable)
    expect((error as Error).message).toMatch(
      /^\[im-search\] \[tablestore\] getRow failed after 4 attempts: OTSServerBusy/,
    )
    expect((error as Error).cause).toBe(busy)
    expect(calls()).toBe(4)
  })

  it('does not repeat a non-idempotent write after an ambiguous failure', async () => {
    const { client, calls } = clientFailing([otsError(503, 'OTSTimeout')])
    await expect(client.call('putRow', {}, { idempotent: false })).rejects.toBeInstanceOf(
      BackendUnavailableError,
    )
    expect(calls()).toBe(1)
  })

  it('wraps other errors with the OTS code and no retry', async () => {
    const { client, calls } = clientFailing([otsError(404, 'OTSObjectNotExist')])
    const error = (await client.call('getRow', {}).catch((e: unknown) => e)) as TablestoreError
    expect(error).toBeInstanceOf(TablestoreError)
    expect(error.code).toBe('OTSObjectNotExist')
    expect(calls()).toBe(1)
  })
})
