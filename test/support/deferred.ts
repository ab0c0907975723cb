/**
 * @module A promise with its settlers outside it: a test holds a call open (a gate) or learns
 * that one was reached, and settles it when the test is ready, never after a guessed delay.
 */
export interface Deferred {
  promise: Promise<void>
  resolve: () => void
  reject: (error: Error) => void
}

export function deferred(): Deferred {
  let resolve!: () => void
  let reject!: (error: Error) => void
  const promise = new Promise<void>((res, rej) => {
    resolve = res
    reject = rej
  })
  return { promise, resolve, reject }
}
