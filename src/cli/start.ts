/**
 * @module `npm start`: runs the service (`src/main.ts`) in a child Node process whose V8 heap is
 * sized to the machine (see {@link heapMegabytesFor}), since Node's default limit (about 4 GiB)
 * is far below what a machine holding millions of messages can give. A heap limit the operator
 * set in NODE_OPTIONS is kept. Signals reach the service once, through this process; killed
 * outright (SIGKILL), this process cannot pass anything on, and the service, in its own process
 * group, goes on until stopped by its own pid.
 */
import { spawn } from 'node:child_process'
import { constants } from 'node:os'
import { resolve } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { heapMegabytesFor, machineMemory } from '../services/memory-budget.ts'

/** The Node flags for the service: the heap limit unless `nodeOptions` sets one, and a larger young generation. */
export function serviceFlags(nodeOptions: string | undefined, machine: number): string[] {
  const heapSet = /--max-old-space-size[=\s]/.test(nodeOptions ?? '')
  return [
    ...(heapSet ? [] : [`--max-old-space-size=${heapMegabytesFor(machine)}`]),
    // Fewer scavenges during the start-up rebuild (bench/README.md: 34 → 27 s in a profiling run).
    '--max-semi-space-size=64',
  ]
}

function main(): void {
  // Run from source through the TypeScript loader (loader/register.mjs), or compiled (dist/) as it is.
  const compiled = import.meta.url.endsWith('.js')
  const entry = fileURLToPath(new URL(compiled ? '../main.js' : '../main.ts', import.meta.url))
  const loader = compiled ? [] : ['--import', new URL('../../loader/register.mjs', import.meta.url).href]
  const flags = serviceFlags(process.env.NODE_OPTIONS, machineMemory())
  // Its own process group: a terminal's Ctrl-C reaches this process only, and is passed on once
  // (the service's second SIGINT would cut its graceful shutdown short).
  const child = spawn(process.execPath, [...flags, ...loader, entry, ...process.argv.slice(2)], {
    stdio: 'inherit',
    detached: true,
  })
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const)
    process.on(signal, () => {
      child.kill(signal)
    })
  child.on('exit', (code, signal) => {
    // A shell's convention for a process a signal ended: 128 + its number.
    process.exitCode = code ?? 128 + (signal ? constants.signals[signal] : 0)
  })
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) main()
