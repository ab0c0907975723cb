/**
 * @module The calibration workload in a process of its own (see `fresh-calibration.ts`): runs it
 * once, sends the figure over IPC, exits.
 */
import { calibrate } from './calibration.ts'

process.send?.(calibrate(), () => process.exit(0))
