/**
 * @module `npm run bench -- --messages N [--json]`: runs the benchmark, prints the readable report
 * (or exactly one JSON document with `--json`) on stdout, progress on stderr, and saves the result
 * to `bench/results/<date>-<N>.json` unless `--no-save`.
 */
import { mkdir, writeFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { runBench } from './bench.ts'
import { parseArgs } from './lib/args.ts'
import { note } from './lib/progress.ts'
import { renderReport } from './report/table.ts'

const RESULTS = fileURLToPath(new URL('./results/', import.meta.url))

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2))
  const result = await runBench(options)
  if (options.save) {
    await mkdir(RESULTS, { recursive: true })
    const file = `${RESULTS}${result.date.slice(0, 10)}-${result.messages}.json`
    await writeFile(file, `${JSON.stringify(result, null, 2)}\n`)
    note(`saved ${file}`)
  }
  process.stdout.write(options.json ? `${JSON.stringify(result)}\n` : renderReport(result))
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`)
    process.exit(1)
  },
)
