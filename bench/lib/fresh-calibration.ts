/**
 * @module The calibration figure taken in a fresh Node process, so that it measures the machine
 * and not the state of the process that asks for it. Taken inside the bench's own process, the
 * same workload ran 396–444 ms at the start of this afternoon's 1M runs and 536–551 ms at their
 * end (a fresh process: 396–464 ms the same hour), and under tsx 557 ms at the start, where a
 * fresh process under tsx took 412–416: the figure followed what the process had just done
 * (imports, a heap of gigabytes, the collector's threads), not only the machine, and every run
 * was marked disturbed (bench/README.md, 2026-12-07 afternoon).
 */
import { fileURLToPath } from 'node:url'
import type { CalibrationRun } from './calibration.ts'
import { childReply } from './child-reply.ts'

const CHILD = fileURLToPath(new URL('./calibration-child.ts', import.meta.url))

/** What `calibrate()` returns. */
export type CalibrationFigure = CalibrationRun & { checksum: number }

function isFigure(reply: unknown): reply is CalibrationFigure {
  const r = reply as Partial<CalibrationFigure> | undefined
  return typeof r?.ms === 'number' && typeof r.checksum === 'number' && Array.isArray(r.roundsMs)
}

/** `calibrate()`, run in a child process of its own. */
export async function calibrateFresh(): Promise<CalibrationFigure> {
  const reply = await childReply(CHILD, { name: 'the calibration' })
  if (!isFigure(reply)) throw new Error(`the calibration child answered ${JSON.stringify(reply)}`)
  return reply
}
