/**
 * @module `npm start`: runs the service (`src/main.ts`) in a child Node process whose V8 heap is
 * sized to the machine (see {@link heapMegabytesFor}), since Node's default limit (about 4 GiB)
 * is far below what a machine holding millions of messages can give, and whose malloc backs large
 * blocks with huge pages (see {@link serviceEnvironment}). A heap limit the operator set in
 * NODE_OPTIONS is kept. Signals reach the service once, through this process; killed
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

/** The glibc tunable that asks malloc to back its large blocks with transparent huge pages. */
const HUGE_PAGES = 'glibc.malloc.hugetlb=1'

/**
 * The service's environment: `env`, with glibc's malloc asked to back its large blocks (typed
 * arrays, the snapshot's parts as read) with transparent huge pages, unless the operator tuned
 * that already in GLIBC_TUNABLES (a colon-separated list: `glibc.malloc.hugetlb=0` turns it off).
 * Where THP is `madvise`, as on Debian's default kernel, a page touched the first time costs a
 * fault each 4 KiB without it: loading a 1M snapshot took about 145,000 faults, about 70,000
 * with it, and started in 2.7-3.3 s instead of 3.4-4.5 (bench/README.md). The tunable
 * (glibc 2.35+, https://www.gnu.org/software/libc/manual/html_node/Memory-Allocation-Tunables.html)
 * is ignored by an older glibc and by other C libraries, and is read once, at process start: hence
 * set for the child here, not in the service.
 */
export function serviceEnvironment(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const tunables = env.GLIBC_TUNABLES ?? ''
  if (/(^|:)glibc\.malloc\.hugetlb=/.test(tunables)) return env
  return { ...env, GLIBC_TUNABLES: tunables === '' ? HUGE_PAGES : `${tunables}:${HUGE_PAGES}` }
}

/**
 * How `npm start` launches the service, from this process's environment: its Node flags and its
 * environment. A process that stands for the service (the bench's) is launched the same way.
 */
export function serviceLaunch(env: NodeJS.ProcessEnv = process.env): {
  flags: string[]
  env: NodeJS.ProcessEnv
} {
  return { flags: serviceFlags(env.NODE_OPTIONS, machineMemory()), env: serviceEnvironment(env) }
}

function main(): void {
  // Run from source through the TypeScript loader (loader/register.mjs), or compiled (dist/) as it is.
  const compiled = import.meta.url.endsWith('.js')
  const entry = fileURLToPath(new URL(compiled ? '../main.js' : '../main.ts', import.meta.url))
  const loader = compiled ? [] : ['--import', new URL('../../loader/register.mjs', import.meta.url).href]
  const { flags, env } = serviceLaunch()
  // Its own process group: a terminal's Ctrl-C reaches this process only, and is passed on once
  // (the service's second SIGINT would cut its graceful shutdown short).
  const child = spawn(process.execPath, [...flags, ...loader, entry, ...process.argv.slice(2)], {
    stdio: 'inherit',
    detached: true,
    env,
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
