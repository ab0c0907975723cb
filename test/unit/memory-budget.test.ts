import { describe, expect, it } from 'vitest'
import { BYTES_PER_RECORD } from '../../adapters/memory/index.ts'
import { serviceEnvironment, serviceFlags, serviceLaunch } from '../../src/cli/start.ts'
import {
  assertMemoryFits,
  BASE_BYTES,
  HEADROOM,
  heapMegabytesFor,
  InsufficientMemoryError,
  machineMemory,
  requiredBytes,
} from '../../src/services/memory-budget.ts'

const GiB = 1024 ** 3
const MiB = 1024 ** 2
const empty = { users: 0, groups: 0, contacts: 0, messages: 0 }

describe('the memory a data dir needs (issue 15)', () => {
  it('is the records times their bytes, with headroom, over a base', () => {
    expect(requiredBytes(empty, BYTES_PER_RECORD)).toBe(BASE_BYTES)
    const counts = { users: 10, groups: 2, contacts: 40, messages: 1000 }
    const perRecord = { users: 100, groups: 50, contacts: 10, messages: 1 }
    expect(requiredBytes(counts, perRecord)).toBe(
      Math.ceil((1000 + 100 + 400 + 1000) * HEADROOM) + BASE_BYTES,
    )
  })

  it('takes the cgroup limit when it is below the machine, and ignores "no limit"', () => {
    expect(machineMemory(24 * GiB, 8 * GiB)).toBe(8 * GiB)
    expect(machineMemory(24 * GiB, 2 ** 64)).toBe(24 * GiB)
    expect(machineMemory(24 * GiB, 0)).toBe(24 * GiB)
  })

  it('gives the heap three quarters of the machine', () => {
    expect(heapMegabytesFor(24 * GiB)).toBe(18 * 1024)
  })

  it('lets a data dir that fits through and returns its estimate', () => {
    const required = requiredBytes({ ...empty, messages: 1_000_000 }, BYTES_PER_RECORD)
    expect(assertMemoryFits(required, { heapLimit: 4 * GiB, machine: 24 * GiB })).toBe(required)
  })

  it('refuses 6M messages under the default 4 GiB heap, naming the flag and the size to give', () => {
    // The data dir of issue 15 that aborted after ten minutes.
    const required = requiredBytes({ ...empty, messages: 6_000_000 }, BYTES_PER_RECORD)
    const refuse = () => assertMemoryFits(required, { heapLimit: 4.05 * GiB, machine: 24 * GiB })
    expect(refuse).toThrow(InsufficientMemoryError)
    expect(refuse).toThrow(`NODE_OPTIONS=--max-old-space-size=${Math.ceil(required / MiB)}`)
    expect(refuse).toThrow('npm start')
    expect(refuse).toThrow(/need about 9\.\d GiB/)
    // The heap npm start gives on this machine holds it.
    expect(
      assertMemoryFits(required, { heapLimit: heapMegabytesFor(24 * GiB) * MiB, machine: 24 * GiB }),
    ).toBe(required)
  })

  it('refuses a data dir larger than the machine can hold, whatever the heap limit', () => {
    const required = requiredBytes({ ...empty, messages: 30_000_000 }, BYTES_PER_RECORD)
    const refuse = () => assertMemoryFits(required, { heapLimit: 64 * GiB, machine: 24 * GiB })
    expect(refuse).toThrow(InsufficientMemoryError)
    expect(refuse).toThrow(/more than this machine can give: it has 24\.0 GiB/)
    expect(refuse).toThrow(/at least \d+\.\d GiB of memory/)
  })
})

describe('npm start sizes the heap (issue 15)', () => {
  it('passes a heap limit of three quarters of the machine', () => {
    expect(serviceFlags(undefined, 24 * GiB)).toEqual([
      '--max-old-space-size=18432',
      '--max-semi-space-size=64',
    ])
  })

  it("keeps the operator's heap limit from NODE_OPTIONS", () => {
    expect(serviceFlags('--max-old-space-size=6000 --trace-gc', 24 * GiB)).toEqual([
      '--max-semi-space-size=64',
    ])
    expect(serviceFlags('--enable-source-maps', 24 * GiB)).toContain('--max-old-space-size=18432')
  })
})

describe('npm start backs large blocks with huge pages (issue 15)', () => {
  it('asks glibc for transparent huge pages, keeping the other tunables', () => {
    expect(serviceEnvironment({ PATH: '/bin' })).toEqual({
      PATH: '/bin',
      GLIBC_TUNABLES: 'glibc.malloc.hugetlb=1',
    })
    expect(serviceEnvironment({ GLIBC_TUNABLES: 'glibc.malloc.arena_max=2' }).GLIBC_TUNABLES).toBe(
      'glibc.malloc.arena_max=2:glibc.malloc.hugetlb=1',
    )
  })

  it("keeps the operator's own choice", () => {
    const env = { GLIBC_TUNABLES: 'glibc.malloc.arena_max=2:glibc.malloc.hugetlb=0' }
    expect(serviceEnvironment(env)).toBe(env)
  })

  it('launches with both, from the one environment', () => {
    const launch = serviceLaunch({ NODE_OPTIONS: '--max-old-space-size=6000', PATH: '/bin' })
    expect(launch.flags).toEqual(['--max-semi-space-size=64'])
    expect(launch.env).toEqual({
      NODE_OPTIONS: '--max-old-space-size=6000',
      PATH: '/bin',
      GLIBC_TUNABLES: 'glibc.malloc.hugetlb=1',
    })
  })
})
