/**
 * @module Method calls from one thread to an object in another, over a `MessagePort`. The owning
 * thread answers (`answerCalls`); the other gets a stand-in of the same shape (`callsTo`) whose
 * every method posts `{id, path, args}` and resolves with the answer. Arguments and results are
 * structured-cloned, so they must be data (objects, arrays, Maps, Dates): what a service takes and
 * returns. A failure crosses as whatever `encode` makes of it, since an error's class does not
 * survive cloning; `decode` makes the error the caller sees.
 */
import type { MessagePort } from 'node:worker_threads'

interface Call {
  id: number
  /** Property names from the root object to the method, e.g. `['messages', 'search']`. */
  path: string[]
  args: unknown[]
}

type Answer = { id: number; value: unknown } | { id: number; failure: unknown }

/** Answers the calls that arrive on `port` with `root`'s methods, each called on its own object. */
export function answerCalls(port: MessagePort, root: object, encode: (error: unknown) => unknown): void {
  port.on('message', async ({ id, path, args }: Call) => {
    try {
      const owner = path
        .slice(0, -1)
        .reduce<unknown>((at, key) => (at as Record<string, unknown>)?.[key], root)
      const method = (owner as Record<string, unknown> | undefined)?.[path.at(-1) ?? '']
      if (typeof method !== 'function')
        throw new TypeError(`no method ${path.join('.')} to call across threads`)
      // A result that cannot be cloned (a function, a class with private state) fails here, as a failure of the call.
      port.postMessage({ id, value: await method.apply(owner, args) } satisfies Answer)
    } catch (error) {
      port.postMessage({ id, failure: encode(error) } satisfies Answer)
    }
  })
}

/**
 * A stand-in for the object `answerCalls` serves on the other end of `port`: `stand.a.b(x)` calls
 * `root.a.b(x)` there. Every method returns a promise, whatever the original returns.
 */
export function callsTo<T>(port: MessagePort, decode: (failure: unknown) => Error): T {
  let nextId = 0
  const waiting = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>()
  port.on('message', (answer: Answer) => {
    const caller = waiting.get(answer.id)
    if (!caller) return
    waiting.delete(answer.id)
    if ('failure' in answer) caller.reject(decode(answer.failure))
    else caller.resolve(answer.value)
  })
  // One stand-in per path, made once: a request reads `services.messages.search` each time.
  const stands = new Map<string, unknown>()
  const standFor = (path: string[]): unknown => {
    const key = path.join('.')
    let stand = stands.get(key)
    if (stand === undefined) {
      stand = new Proxy(() => {}, {
        // Not thenable: `await stand` must not post a call named `then`.
        get: (_target, name) =>
          typeof name === 'string' && name !== 'then' ? standFor([...path, name]) : undefined,
        apply: (_target, _this, args: unknown[]) =>
          new Promise((resolve, reject) => {
            const id = nextId++
            waiting.set(id, { resolve, reject })
            try {
              port.postMessage({ id, path, args } satisfies Call)
            } catch (error) {
              waiting.delete(id)
              reject(error as Error)
            }
          }),
      })
      stands.set(key, stand)
    }
    return stand
  }
  return standFor([]) as T
}
