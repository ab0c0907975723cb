/**
 * The process log's destination (issue #14): a reader that stops reading or goes away must never
 * block, crash or grow the server; the shutdown's flush is bounded.
 */
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { Writable } from 'node:stream'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { typescriptLoader } from '../../loader/index.ts'
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

/** The next turn of the event loop, when a turn's gathered lines have been written. */
const nextTurn = () => new Promise((resolve) => setImmediate(resolve))

describe('streamDestination', () => {
  it('drops lines past the queue bound instead of queuing without end', async () => {
    const { stream } = stalledStream()
    const destination = streamDestination({ stream, maxQueuedBytes: 100 })
    for (let i = 0; i < 50; i++) destination.write(`{"line":${i},"pad":"${'x'.repeat(20)}"}\n`)
    expect(destination.dropped).toBeGreaterThan(40)
    // Gathered lines count against the bound: the turn's batch holds no more than it allows.
    await nextTurn()
    expect(stream.writableLength).toBeLessThanOrEqual(100 + 40)
  })

  it("writes a turn's lines as one batch, in order, and a batch at once when it is full", async () => {
    const written: string[] = []
    const stream = new Writable({
      write(chunk, _encoding, callback) {
        written.push(String(chunk))
        callback()
      },
    })
    const destination = streamDestination({ stream, batchLength: 64 })
    destination.write('{"msg":"一"}\n')
    destination.write('{"msg":"two"}\n')
    expect(written).toEqual([])
    await nextTurn()
    expect(written).toEqual(['{"msg":"一"}\n{"msg":"two"}\n'])
    const long = `{"msg":"${'长'.repeat(60)}"}\n`
    destination.write(long)
    expect(written).toEqual(['{"msg":"一"}\n{"msg":"two"}\n', long])
    destination.write('{"msg":"three"}\n')
    destination.writePending()
    expect(written.at(-1)).toBe('{"msg":"three"}\n')
    await nextTurn()
    expect(written).toHaveLength(3)
  })

  it('drain() waits for the queue to empty, and gives up at its bound when it never does', async () => {
    const { stream, written, release } = stalledStream()
    const destination = streamDestination({ stream })
    destination.write('{"msg":"a"}\n')
    destination.write('{"msg":"b"}\n')
    const drained = destination.drain(60_000)
    // Each release completes the write in progress; the next one starts when it is done.
    while (written.length < 2) {
      release()
      await nextTurn()
    }
    release()
    await drained
    // drain() wrote the gathered lines first, as one batch, then waited for them.
    expect(written[0]).toBe('{"msg":"a"}\n{"msg":"b"}\n')
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

  it.each(['shutdown', 'exit'])(
    'loses no line gathered when the process stops (%s)',
    async (mode) => {
      const script = fileURLToPath(new URL('./child/log-lines-child.ts', import.meta.url))
      const child = spawn(process.execPath, [...typescriptLoader, script, mode], {
        stdio: ['ignore', 'pipe', 'inherit'],
      })
      let stdout = ''
      child.stdout.setEncoding('utf8')
      child.stdout.on('data', (chunk: string) => {
        stdout += chunk
        if (mode === 'shutdown' && stdout.includes('listening\n') && child.signalCode === null)
          child.kill('SIGTERM')
      })
      const [code] = await once(child, 'exit')
      if (!child.stdout.readableEnded) await once(child.stdout, 'end')
      expect(code).toBe(0)
      const lines = stdout
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as { msg: string; phase?: string; line?: number; text?: string })
      const burst = lines.filter((line) => line.msg === 'burst')
      expect(burst.map((line) => line.line)).toEqual(Array.from({ length: 2_000 }, (_, line) => line))
      expect(
        burst.every((line) => line.phase === mode && line.text === `第${line.line}条消息 line ${line.line}`),
      ).toBe(true)
      if (mode === 'shutdown') expect(lines.at(-1)?.msg).toBe('shut down')
    },
    30_000,
  )
})
