/**
 * @module Where the process logger writes: stdout, without ever blocking the process or crashing it
 * when nobody reads (issue #14).
 *
 * pino's default destination (sonic-boom 4) flushes synchronously when the process exits, and its
 * synchronous flush retries a failed write every 100 ms for ever, on `EPIPE` too: a server whose
 * stdout reader had gone away hung in its `exit` handler after SIGTERM, with the event loop
 * blocked, until a second signal killed it. A reader that merely stops reading (a full pipe, `EAGAIN`)
 * hangs it the same way. Node's own `process.stdout` writes to a pipe asynchronously and never
 * flushes at exit, so this destination writes through it, drops lines rather than queue without
 * bound when the reader stalls, stops logging at `EPIPE` instead of throwing, and is flushed by the
 * shutdown within a bound.
 *
 * Lines are gathered and handed to the stream in batches: `process.stdout` on a pipe or a file
 * writes synchronously, one system call a line, and at a few thousand requests a second the access
 * log's writes were a tenth of the HTTP stack's CPU. A batch goes out when it reaches `batchLength` characters,
 * at the end of the event-loop turn that started it, on `drain` (the shutdown), on `writePending`,
 * and when the process exits (`process.exit` included); the exit write is one ordinary stream
 * write, which never retries, so it cannot hang the exit the way sonic-boom's flush did.
 */
import type { Writable } from 'node:stream'
import type { DestinationStream } from 'pino'

/** A log destination the shutdown can flush within a bound. */
export interface FlushableDestination extends DestinationStream {
  /**
   * Resolves once everything written so far has left the process, or after `timeoutMs`. (Not
   * `flush`: pino's `logger.flush(cb)` would call that with a callback.)
   */
  drain(timeoutMs: number): Promise<void>
  /** Lines dropped because the reader fell behind by more than the queue bound. */
  readonly dropped: number
  /**
   * Hands the lines gathered so far to the stream now, so that a write made straight to the
   * stream after it (the start-up banner) comes after them.
   */
  writePending(): void
}

/** Options for {@link streamDestination}. */
export interface StreamDestinationOptions {
  /** @default process.stdout */
  stream?: Writable
  /** Queued bytes past which new lines are dropped (a stalled reader must not grow memory). @default 8 MiB */
  maxQueuedBytes?: number
  /** Gathered characters at which a batch is written at once rather than at the end of the turn. @default 16 KiB */
  batchLength?: number
  /** Write the gathered lines when the process exits (one `exit` listener each: for the process's own destination). @default false */
  writeAtExit?: boolean
}

/** Log lines to a Node stream (stdout): batched, asynchronous, bounded, and silent once the reader is gone. */
export function streamDestination(options: StreamDestinationOptions = {}): FlushableDestination {
  const stream = options.stream ?? process.stdout
  const maxQueuedBytes = options.maxQueuedBytes ?? 8 * 1024 * 1024
  const batchLength = options.batchLength ?? 16 * 1024
  let gone = false
  let dropped = 0
  let pending = ''
  let scheduled = false
  // EPIPE (the reader closed its end) and any other write error: nobody can read the log any more;
  // serving goes on. Without a listener the error would be an uncaught exception.
  stream.on('error', () => {
    gone = true
  })
  const writePending = () => {
    scheduled = false
    if (pending === '') return
    const batch = pending
    pending = ''
    if (gone || stream.destroyed) return
    stream.write(batch)
  }
  if (options.writeAtExit ?? false) process.once('exit', writePending)
  return {
    write(line: string) {
      if (gone || stream.destroyed) return
      // Gathered lines count against the bound as queued ones do.
      if (stream.writableLength + pending.length > maxQueuedBytes) {
        dropped++
        return
      }
      pending += line
      if (pending.length >= batchLength) writePending()
      else if (!scheduled) {
        scheduled = true
        setImmediate(writePending)
      }
    },
    get dropped() {
      return dropped
    },
    writePending,
    drain(timeoutMs) {
      writePending()
      if (gone || stream.destroyed || stream.writableLength === 0) return Promise.resolve()
      return new Promise((resolve) => {
        const timer = setTimeout(resolve, timeoutMs)
        // An empty write's callback runs once everything queued before it has been written.
        stream.write('', () => {
          clearTimeout(timer)
          resolve()
        })
      })
    },
  }
}

let stdout: FlushableDestination | undefined

/** The one destination over `process.stdout`, shared by every logger of the process. */
export function stdoutDestination(): FlushableDestination {
  stdout ??= streamDestination({ writeAtExit: true })
  return stdout
}
