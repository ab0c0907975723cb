/**
 * @module `npm run bench:data-dir -- --messages N --dir DIR [--seed S]`: the bench on a data dir
 * (`data-dir-bench.ts`) at any N, one JSON object on stdout, progress on stderr. `npm run bench`
 * runs the same above the main bench's in-memory limit, and saves and reports it.
 */
import { runDataDirBench } from './data-dir-bench.ts'

function option(name: string): string | undefined {
  const at = process.argv.indexOf(name)
  return at < 0 ? undefined : process.argv[at + 1]
}

const messages = Number((option('--messages') ?? '1000000').replaceAll('_', ''))
const dir = option('--dir')
const seed = option('--seed')
if (!dir || !Number.isInteger(messages) || messages < 1)
  throw new Error('usage: npm run bench:data-dir -- --messages N --dir DIR [--seed S]')
const result = await runDataDirBench({ messages, dir, seed: seed === undefined ? undefined : Number(seed) })
process.stdout.write(`${JSON.stringify(result, null, 2)}\n`)
