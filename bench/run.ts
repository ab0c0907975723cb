/**
 * @module `npm run bench -- --messages N [--json]`: runs the benchmark, prints the readable report
 * (or exactly one JSON document with `--json`) on stdout, progress on stderr, and saves the result
 * to `bench/results/<date>-<N>.json` unless `--no-save`. Above 2,000,000 messages (`IN_MEMORY_LIMIT`),
 * or with `--dir`, it runs the bench on a data dir (`data-dir-bench.ts`), by default in
 * `<tmpdir>/im-search-bench-<N>-<seed>`, kept so that a stopped run resumes.
 */
import { mkdir, writeFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { runBench } from './bench.ts'
import { runDataDirBench } from './data-dir-bench.ts'
import { type BenchOptions, dataDirOf, parseArgs } from './lib/args.ts'
import { note } from './lib/progress.ts'
import type { BenchResult, DataDirResult } from './report/result.ts'
import { renderDataDirReport, renderReport } from './report/table.ts'

const RESULTS = fileURLToPath(new URL('./results/', import.meta.url))

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2))
  const result = await run(options)
  if (options.save) {
    await mkdir(RESULTS, { recursive: true })
    const file = `${RESULTS}${result.date.slice(0, 10)}-${result.messages}.json`
    await writeFile(file, `${JSON.stringify(result, null, 2)}\n`)
    note(`saved ${file}`)
  }
  const report = 'http' in result ? renderReport(result) : renderDataDirReport(result)
  process.stdout.write(options.json ? `${JSON.stringify(result)}\n` : report)
}

function run(options: BenchOptions): Promise<BenchResult | DataDirResult> {
  const dir = dataDirOf(options)
  return dir === undefined
    ? runBench(options)
    : runDataDirBench({ messages: options.messages, dir, seed: options.seed })
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`)
    process.exit(1)
  },
)
