/**
 * The process log's destination (issue #14): a reader that stops reading or goes away must never
 * block, crash or grow the server; the shutdown's flush is bounded.
 */
import { Writable } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { streamDestination } from '../../src/log-destination.ts'

/** A stream whose writes complete only when `release` is called: a reader that stopped reading. */
function stalledStream() {
  const pending: (() => void)[] = []
  const written: string[] = []
  const stream = new Writable({
    highWaterMark: 16,
    write(chunk, _encoding, callback) {
      written.push(String(chunk))
      pending.push(callback)
    },
  })
  const release = () => {
    for (const done of pending.splice(0)) done()
  }
  return { stream, written, release }
}

describe('streamDestination', () => {
  it('drops lines past the queue bound instead of queuing without end', () => {
    const { stream } = stalledStream()
    const destination = streamDestination({ stream, maxQueuedBytes: 100 })
    for (let i = 0; i < 50; i++) destination.write(`{"line":${i},"pad":"${'x'.repeat(20)}"}\n`)
    expect(destination.dropped).toBeGreaterThan(40)
    expect(stream.writableLength).toBeLessThanOrEqual(100 + 40)
  })

  it('drain() waits for the queue to empty, and gives up at its bound when it never does', async () => {
    const { stream, written, release } = stalledStream()
    const destination = streamDestination({ stream })
    destination.write('{"msg":"a"}\n')
    destination.write('{"msg":"b"}\n')
    const drained = destination.drain(60_000)
    // Each release completes the write in progress; the next one starts when it is done.
    while (written.length < 3) {
      release()
      await new Promise((resolve) => setImmediate(resolve))
    }
    release()
    await drained
    expect(written.slice(0, 2)).toEqual(['{"msg":"a"}\n', '{"msg":"b"}\n'])
    destination.write('{"msg":"stuck"}\n')
    await destination.drain(50)
  })

  it('goes silent when the reader has gone away (EPIPE) instead of throwing', async () => {
    const stream = new Writable({
      write(_chunk, _encoding, callback) {
        callback(Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }))
      },
    })
    const destination = streamDestination({ stream })
    destination.write('{"msg":"first"}\n')
    await new Promise((resolve) => stream.once('close', resolve))
    expect(() => destination.write('{"msg":"after"}\n')).not.toThrow()
    await destination.drain(60_000)
  })
})
