/**
 * @module "Permission, exhaustively" (issue 8), for any backend: fast-check builds random worlds
 * and scripts, drives them through the HTTP API in two phases (commands, then probes by random
 * callers; then more commands, the first phase's cursors replayed stale, more probes), and every
 * answer must equal the brute-force oracle over the test's own model. Not a `*.test.ts`: each
 * backend's file runs it (as the contract suites are run).
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { Harness } from '../routes/harness.ts'
import { checkConversations, checkOneBox } from './check-conversations.ts'
import { checkCursorAttack, checkStaleCursor } from './check-cursors.ts'
import { checkDiscovery, checkGroup, checkMine, checkProfile, discoveryQuery } from './check-discovery.ts'
import { checkHistory, checkMessageSearch, messageQuery } from './check-messages.ts'
import { Driver } from './drive.ts'
import { Prober } from './probe.ts'
import { type Probe, probe } from './probes.ts'
import { command, worldSpec } from './world.ts'

/** `IMSEARCH_LONG=1`: twenty times the worlds, for a soak before a release. */
const LONG = process.env.IMSEARCH_LONG === '1'
/** `FC_SEED` replays a reported failure; the default seed keeps CI runs comparable. */
const SEED = Number(process.env.FC_SEED ?? 20_250_801)

export interface PermissionSuiteOptions {
  name: string
  /** A fresh, empty harness per world. */
  harness: () => Harness
  /** Worlds in a default run (twenty times as many with `IMSEARCH_LONG=1`). */
  worlds: number
  /** Commands and probes per phase (two phases per world). */
  commands: number
  probes: number
  timeoutMs: number
}

async function run(p: Prober, x: Probe): Promise<void> {
  switch (x.kind) {
    case 'messages':
      return checkMessageSearch(p, messageQuery(p, x))
    case 'history':
      return checkHistory(p, x)
    case 'conversations':
      return checkConversations(p, x)
    case 'onebox':
      return checkOneBox(p, x)
    case 'users':
    case 'groups':
      return checkDiscovery(p, discoveryQuery(p.model, x))
    case 'profile':
      return checkProfile(p, x.caller, x.user)
    case 'group':
      return checkGroup(p, x.caller, x.group)
    case 'mine':
      return checkMine(p, x)
    case 'cursor':
      return checkCursorAttack(p, x.caller, x.pick, x.attack)
  }
}

export function runPermissionSuite(options: PermissionSuiteOptions): void {
  const worlds = LONG ? options.worlds * 20 : options.worlds
  const phase = fc.record({
    commands: fc.array(command, { minLength: options.commands / 2, maxLength: options.commands }),
    probes: fc.array(probe, { minLength: options.probes / 2, maxLength: options.probes }),
  })
  describe(`permission, exhaustively (issue 8): ${options.name}`, () => {
    it(
      'every search, history page, profile, list and cursor answer equals the oracle; nothing private leaks',
      async () => {
        const tally = { worlds: 0, commands: 0, probes: 0, cursors: 0 }
        const started = Date.now()
        await fc.assert(
          fc.asyncProperty(worldSpec, fc.tuple(phase, phase), async (spec, phases) => {
            const h = options.harness()
            const driver = new Driver(h)
            await driver.build(spec)
            const prober = new Prober(h, driver.model)
            for (const { commands, probes } of phases) {
              for (const c of commands) await driver.apply(c)
              await h.settle()
              const stale = prober.cursors
              prober.cursors = []
              for (const issued of stale) await checkStaleCursor(prober, issued)
              for (const x of probes) await run(prober, x)
              tally.commands += commands.length
              tally.probes += probes.length + stale.length
              tally.cursors += stale.length
            }
            tally.worlds++
          }),
          { numRuns: worlds, seed: SEED },
        )
        const assertions = expect.getState().assertionCalls
        console.info(
          `[permission] ${options.name}: ${tally.worlds} worlds, ${tally.commands} commands, ${tally.probes} probes (${tally.cursors} stale cursors), ${assertions} assertions, ${Date.now() - started} ms`,
        )
      },
      LONG ? options.timeoutMs * 20 : options.timeoutMs,
    )
  })
}
