/**
 * @module A log stream that costs what `npm start`'s stdout costs, without printing: what
 * `process.stdout` is on a pipe or a file (a `write` system call a write, made at once), over
 * /dev/null. A bench server logs through `streamDestination` over it, as `main` logs through
 * `stdoutDestination`, so its access lines are batched and written as in production.
 */
import { openSync, writeSync } from 'node:fs'
import { Writable } from 'node:stream'

let devNull: number | undefined

/** A new stdout-like stream over /dev/null. */
export function stdoutLike(): Writable {
  devNull ??= openSync('/dev/null', 'w')
  const fd = devNull
  return new Writable({
    write(chunk: Buffer, _encoding, callback) {
      writeSync(fd, chunk)
      callback()
    },
  })
}
