/** @module Command-line options of `npm run bench`. */
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DEFAULT_SEED } from '../corpus/config.ts'

export interface BenchOptions {
  messages: number
  json: boolean
  /** N of the side-by-side run (competitors and ours on the same corpus). */
  compareMessages: number
  /** Messages sent over HTTP batch ingestion. */
  httpIngestMessages: number
  loadSeconds: number
  loadConnections: number
  /** Write `bench/results/<date>-<N>.json`. */
  save: boolean
  seed: number | undefined
  /**
   * The data dir of the bench on a data dir (`data-dir-bench.ts`), which runs instead of the main
   * bench above {@link IN_MEMORY_LIMIT} messages or whenever a dir is given; kept after the run.
   */
  dir: string | undefined
}

/**
 * The largest corpus the main bench runs: it holds the corpus, an in-memory record store and an
 * index side by side, and a competitor's copy besides; above it (issue 15's ten million), the
 * bench runs on a data dir as `npm start` does.
 */
export const IN_MEMORY_LIMIT = 2_000_000

const HELP = `npm run bench -- [--messages N] [--json] [--compare-messages N] [--http-ingest-messages N]
                   [--load-seconds S] [--connections C] [--seed S] [--no-save]
                   [--dir DIR]  (the data dir of a run above 2,000,000 messages)`

export function parseArgs(argv: readonly string[]): BenchOptions {
  const values = new Map<string, string>()
  const flags = new Set<string>()
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string
    if (arg === '--help' || arg === '-h') throw new Error(HELP)
    if (arg === '--json' || arg === '--no-save') flags.add(arg)
    else if (arg.startsWith('--') && arg.includes('='))
      values.set(arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1))
    else if (arg.startsWith('--') && i + 1 < argv.length) values.set(arg, argv[++i] as string)
    else throw new Error(`unknown argument ${arg}\n${HELP}`)
  }
  const int = (name: string, fallback: number) => {
    const raw = values.get(name)
    if (raw === undefined) return fallback
    const n = Number(raw.replaceAll('_', ''))
    if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a non-negative integer, got ${raw}`)
    return n
  }
  const messages = int('--messages', 1_000_000)
  if (messages < 1) throw new Error('--messages must be at least 1')
  const small = messages < 10_000
  const options: BenchOptions = {
    messages,
    json: flags.has('--json'),
    compareMessages: Math.min(messages, int('--compare-messages', 200_000)),
    httpIngestMessages: Math.min(messages, int('--http-ingest-messages', 50_000)),
    loadSeconds: int('--load-seconds', small ? 1 : 10),
    loadConnections: int('--connections', small ? 4 : 32),
    save: !flags.has('--no-save'),
    seed: values.has('--seed') ? int('--seed', 0) : undefined,
    dir: values.get('--dir'),
  }
  for (const key of values.keys())
    if (
      ![
        '--messages',
        '--compare-messages',
        '--http-ingest-messages',
        '--load-seconds',
        '--connections',
        '--seed',
        '--dir',
      ].includes(key)
    )
      throw new Error(`unknown option ${key}\n${HELP}`)
  return options
}

/**
 * The data dir to run the bench on, or undefined for the main (in-memory) bench: `--dir`, or above
 * {@link IN_MEMORY_LIMIT} messages `<tmpdir>/im-search-bench-<N>-<seed>`, kept so that a stopped
 * run resumes where it left off.
 */
export function dataDirOf(options: BenchOptions): string | undefined {
  if (options.dir !== undefined || options.messages <= IN_MEMORY_LIMIT) return options.dir
  return join(tmpdir(), `im-search-bench-${options.messages}-${options.seed ?? DEFAULT_SEED}`)
}
