/** @module The write barrier index snapshots wait on: only writes begun before the call are waited for. */
import { describe, expect, it } from 'vitest'
import { WriteBarrier } from '../../src/services/write-barrier.ts'
import { deferred } from '../support/deferred.ts'

describe('WriteBarrier', () => {
  it('resolves at once with no write in flight', async () => {
    await new WriteBarrier().passed()
  })

  it('waits for every write begun before, settled either way, and not for those begun after', async () => {
    const barrier = new WriteBarrier()
    const [a, b, later] = [deferred(), deferred(), deferred()]
    const writes = [barrier.track(() => a.promise), barrier.track(() => b.promise).catch(() => 'failed')]
    let passed = false
    const waiting = barrier.passed().then(() => {
      passed = true
    })
    const afterwards = barrier.track(() => later.promise)
    a.resolve()
    await writes[0]
    expect(passed).toBe(false)
    b.reject(new Error('写入失败'))
    expect(await writes[1]).toBe('failed')
    await waiting
    expect(passed).toBe(true)
    // A second barrier waits for the write begun between the two.
    let second = false
    const secondWaiting = barrier.passed().then(() => {
      second = true
    })
    await Promise.resolve()
    expect(second).toBe(false)
    later.resolve()
    await afterwards
    await secondWaiting
    expect(second).toBe(true)
  })

  it('passes on the write’s own result and error', async () => {
    const barrier = new WriteBarrier()
    expect(await barrier.track(async () => 42)).toBe(42)
    await expect(barrier.track(async () => Promise.reject(new Error('refused')))).rejects.toThrow('refused')
    await barrier.passed()
  })
})
