/**
 * @module The load test (issue #8, "Load"): mixed search and ingestion at the highest rate the
 * machine holds, on loopback, for a bounded time, in rounds; zero errors and no memory growth
 * beyond what the stored messages explain. Progress on stderr; `--json` prints one JSON document
 * on stdout. Exits 1 when a check fails. Like the bench, it times the calibration workload
 * (lib/calibration.ts) before and after, and says whether the run was disturbed.
 *
 * node --expose-gc --import ./loader/register.mjs bench/load.ts [--seconds 60] [--rounds 6] [--connections 16] [--json]
 */
import { compareCalibrations } from './lib/calibration.ts'
import { calibrateFresh } from './lib/fresh-calibration.ts'
import { describeMachine } from './lib/machine.ts'
import { runLoad } from './load/rounds.ts'
import { formatLoadReport } from './load/summary.ts'
import { calibrationLine } from './report/table.ts'

const HELP =
  'node --expose-gc --import ./loader/register.mjs bench/load.ts [--seconds 60] [--rounds 6] [--connections 16] [--fixtures fixtures] [--json]'

function parse(argv: readonly string[]) {
  const options = { seconds: 60, rounds: 6, connections: 16, fixtures: 'fixtures', json: false }
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]
    if (arg === '--json') options.json = true
    else if (arg === '--fixtures') options.fixtures = argv[++i] ?? options.fixtures
    else if (arg === '--seconds' || arg === '--rounds' || arg === '--connections') {
      const n = Number(argv[++i])
      if (!Number.isInteger(n) || n < 1) throw new Error(`${arg} takes a positive integer\n${HELP}`)
      options[arg.slice(2) as 'seconds' | 'rounds' | 'connections'] = n
    } else throw new Error(`unknown argument ${arg}\n${HELP}`)
  }
  if (options.rounds < 2) throw new Error('--rounds must be at least 2: round 1 is the memory baseline')
  return options
}

const options = parse(process.argv.slice(2))
const calibrationStart = await calibrateFresh()
const report = await runLoad({
  roundSeconds: Math.max(1, Math.round(options.seconds / options.rounds)),
  rounds: options.rounds,
  connections: options.connections,
  fixturesDir: options.fixtures,
  log: (line) => process.stderr.write(`${line}\n`),
})
const calibration = compareCalibrations(calibrationStart, await calibrateFresh())
const machine = await describeMachine()
if (options.json) process.stdout.write(`${JSON.stringify({ machine, calibration, ...report }, null, 2)}\n`)
else process.stdout.write(`${calibrationLine(calibration)}\n${formatLoadReport(report)}`)
process.exitCode = report.ok ? 0 : 1
