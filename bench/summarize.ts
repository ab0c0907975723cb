/**
 * @module `npm run -s bench:summary -- FILE...`: saved bench results (bench/results/*.json, the main
 * bench's and the data-dir bench's) summarized per corpus size as Markdown: the median and range of
 * each query kind's p99 and of each target's figure over the runs not disturbed, and how many met
 * each target. `--all` counts disturbed runs too. What the README's Benchmarks tables are made with.
 */
import { readFileSync } from 'node:fs'
import { basename } from 'node:path'
import { type RunFile, type RunResult, renderRunsMarkdown, summarizeRuns } from './report/runs.ts'

const HELP = 'npm run -s bench:summary -- [--all] bench/results/FILE.json...'

const args = process.argv.slice(2)
const includeDisturbed = args.includes('--all')
const paths = args.filter((a) => a !== '--all')
const unknown = paths.find((a) => a.startsWith('--'))
if (paths.length === 0 || unknown !== undefined) {
  process.stderr.write(
    `${unknown === undefined ? 'no result files given' : `unknown option ${unknown}`}\n${HELP}\n`,
  )
  process.exit(2)
}
function read(path: string): RunResult {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as RunResult
  } catch (error) {
    process.stderr.write(`cannot read ${path}: ${(error as Error).message}\n`)
    process.exit(2)
  }
}
const files: RunFile[] = paths.map((path) => {
  const result = read(path)
  if (typeof result.messages !== 'number' || !result.search || !Array.isArray(result.targets)) {
    process.stderr.write(`${path} is not a bench result (no messages, search or targets)\n`)
    process.exit(2)
  }
  return { name: basename(path, '.json'), result }
})
process.stdout.write(renderRunsMarkdown(summarizeRuns(files, includeDisturbed)))
