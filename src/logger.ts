/** @module The process logger: pino, one JSON object per line, secrets redacted. */
import { type DestinationStream, type Logger, pino } from 'pino'
import { stdoutDestination } from './log-destination.ts'

export type { Logger } from 'pino'

/** Keys whose values are credentials, in config objects, headers or the raw environment. */
const SECRET_KEYS = [
  'authorization',
  'token',
  'jwtSecret',
  'cursorSecret',
  'accessKeySecret',
  'IMSEARCH_JWT_SECRET',
  'IMSEARCH_CURSOR_SECRET',
  'TABLESTORE_ACCESS_KEY_SECRET',
]

/**
 * Paths pino blanks out, at any depth up to four (pino's wildcards match one level each). The
 * request logger never logs headers or config, but a handler that logs a request or a config
 * object by mistake must still not leak a credential.
 */
export const REDACT_PATHS = SECRET_KEYS.flatMap((key) => [key, `*.${key}`, `*.*.${key}`, `*.*.*.${key}`])

/** Options for {@link createLogger}. */
export interface LoggerOptions {
  /** pino level name. @default 'info' */
  level?: string
  /** Where lines go; tests pass a stream to read them back. @default stdoutDestination() */
  destination?: DestinationStream
  /** Fields added to every line. @default { service: 'im-search' } */
  base?: Record<string, unknown>
}

/**
 * pino's `isoTime`, the same text, formatted once per millisecond: a busy server writes several
 * lines a millisecond, and `toISOString` was a third of the cost of its access line. `Date.now`
 * is looked up at each call, as pino's does, so fake timers still set the time.
 */
export function isoTimeOncePerMs(now: () => number = () => Date.now()): () => string {
  let last = Number.NaN
  let text = ''
  return () => {
    const ms = now()
    if (ms !== last) {
      last = ms
      text = `,"time":"${new Date(ms).toISOString()}"`
    }
    return text
  }
}

/** Creates the JSON logger. Plain JSON (no pretty transport) so that nothing is spawned or downloaded. */
export function createLogger(options: LoggerOptions = {}): Logger {
  return pino(
    {
      level: options.level ?? 'info',
      base: options.base ?? { service: 'im-search' },
      timestamp: isoTimeOncePerMs(),
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      formatters: { level: (label) => ({ level: label }) },
    },
    options.destination ?? stdoutDestination(),
  )
}
