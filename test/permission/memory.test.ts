/** @module The permission suite (issue 8) on the embedded backend: many worlds, read-your-writes. */
import { createHarness } from '../routes/harness.ts'
import { runPermissionSuite } from './permission.suite.ts'

runPermissionSuite({
  name: 'memory',
  harness: () => createHarness(),
  worlds: 150,
  commands: 20,
  probes: 20,
  timeoutMs: 60_000,
})
