/**
 * @module The permission suite (issue 8) on the Tablestore adapter through the real SDK and the
 * emulator, with an index lag like production's: fewer worlds, since each one creates its tables.
 */
import { createHarness } from '../routes/harness.ts'
import { useTablestoreEmulator } from '../tablestore/emulator-options.ts'
import { runPermissionSuite } from './permission.suite.ts'

const emulator = useTablestoreEmulator(15)

runPermissionSuite({
  name: 'tablestore (emulator, 15 ms index lag)',
  harness: () => createHarness({ tablestore: emulator() }),
  worlds: 30,
  commands: 20,
  probes: 20,
  timeoutMs: 120_000,
})
