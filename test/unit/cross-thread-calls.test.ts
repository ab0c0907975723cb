/**
 * Calls across a `MessagePort` (`src/threads/cross-thread-calls.ts`) answer as the object itself
 * does: results, `this`, failures, and many calls in flight at once, each getting its own answer.
 * Both ends run in this thread over a `MessageChannel`, which clones exactly as between threads.
 */

import { MessageChannel, type MessagePort } from 'node:worker_threads'
import * as fc from 'fast-check'
import { afterEach, describe, expect, it } from 'vitest'
import { answerCalls, callsTo } from '../../src/threads/cross-thread-calls.ts'

class Counter {
  #count = 0
  add(by: number): number {
    this.#count += by
    return this.#count
  }
  async later(value: unknown, ms: number): Promise<unknown> {
    await new Promise((resolve) => setTimeout(resolve, ms))
    return value
  }
  fail(message: string): never {
    throw new RangeError(message)
  }
  handOut(): () => void {
    return () => {}
  }
}

const root = {
  counter: new Counter(),
  echo: (x: unknown) => x,
  nested: { deeper: { map: () => new Map([['a', 1]]) } },
}
type Root = typeof root

const ports: MessagePort[] = []
afterEach(() => {
  for (const port of ports.splice(0)) port.close()
})

function connect(): { stand: { [K in keyof Root]: Root[K] } } {
  const { port1, port2 } = new MessageChannel()
  ports.push(port1, port2)
  answerCalls(port1, root, (error) => ({ name: (error as Error).name, message: (error as Error).message }))
  const stand = callsTo<Root>(port2, (failure) => {
    const { name, message } = failure as { name: string; message: string }
    return Object.assign(new Error(message), { name })
  })
  return { stand }
}

describe('cross-thread calls', () => {
  it("call the owner's methods on their own object, and answer with cloned results", async () => {
    const { stand } = connect()
    expect(await stand.counter.add(2)).toBe(2)
    expect(await stand.counter.add(3)).toBe(5)
    expect(await stand.nested.deeper.map()).toEqual(new Map([['a', 1]]))
    const sent = { a: [1, '二', { c: new Date(0) }] }
    const back = await stand.echo(sent)
    expect(back).toEqual(sent)
    expect(back).not.toBe(sent)
  })

  it('answer each of many calls in flight with its own result, whatever order they finish in (property)', async () => {
    const { stand } = connect()
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.jsonValue(), fc.integer({ min: 0, max: 5 })), { maxLength: 20 }),
        async (calls) => {
          const answers = await Promise.all(calls.map(([value, ms]) => stand.counter.later(value, ms)))
          expect(answers).toEqual(calls.map(([value]) => structuredClone(value)))
        },
      ),
      { numRuns: 30 },
    )
  })

  it('reject with what the failure decodes to', async () => {
    const { stand } = connect()
    await expect(stand.counter.fail('too far')).rejects.toMatchObject({
      name: 'RangeError',
      message: 'too far',
    })
  })

  it('reject a call to no method, and a result that cannot be cloned, without stopping later calls', async () => {
    const { stand } = connect()
    const missing = (stand as unknown as { counter: { nope: () => Promise<unknown> } }).counter.nope()
    await expect(missing).rejects.toMatchObject({ name: 'TypeError', message: /no method counter\.nope/ })
    await expect(stand.counter.handOut()).rejects.toMatchObject({ name: 'DataCloneError' })
    expect(await stand.echo('still answering')).toBe('still answering')
  })

  it('reject a call whose arguments cannot be cloned, at the caller', async () => {
    const { stand } = connect()
    await expect(stand.echo(() => {})).rejects.toMatchObject({ name: 'DataCloneError' })
  })

  it('are not thenable: awaiting a stand-in posts no call', async () => {
    const { stand } = connect()
    expect(await stand.counter).toBe(stand.counter)
  })
})
