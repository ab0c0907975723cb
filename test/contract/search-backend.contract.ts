/**
 * @module The search-backend contract: what every `SearchBackend` must do, run by one tiny test
 * file per adapter (`test/adapters/*.test.ts`). Named `*.contract.ts` so vitest runs it only
 * through those files. Every skip names its tests exactly and carries a reason.
 */
import { describe, it } from 'vitest'
import type { DocumentOf } from '../../src/ports/documents.ts'
import type { SearchBackend } from '../../src/ports/search-backend.ts'
import type { IndexName } from '../../src/query/index-schemas.ts'
import { aggregationCases } from './aggregations.cases.ts'
import type { ContractContext } from './context.ts'
import { messageCases } from './messages.cases.ts'
import { profileCases } from './profiles.cases.ts'
import { propertyCases } from './properties.cases.ts'
import { writeCases } from './writes.cases.ts'

export type { ContractContext } from './context.ts'

export interface SearchBackendContractOptions {
  /** The adapter's name, shown in the suite's title. */
  name: string
  /** A fresh, empty backend; called once per test and once per property case. */
  create: () => SearchBackend | Promise<SearchBackend>
  /** Tests this backend cannot pass yet, by exact title, each group with its reason. */
  skip?: { reason: string; tests: string[] }[]
  /** Adapter-specific tests, registered inside the suite with the same context. */
  additionalTests?: (ctx: ContractContext) => void
  /**
   * fast-check runs per property.
   * @default 300
   */
  numRuns?: number
}

export function runSearchBackendContract(options: SearchBackendContractOptions): void {
  const { name, create } = options
  const skipped = new Map<string, string>()
  for (const group of options.skip ?? []) for (const title of group.tests) skipped.set(title, group.reason)
  const registered = new Set<string>()

  const withBackend = async <T>(fn: (backend: SearchBackend) => Promise<T>): Promise<T> => {
    const backend = await create()
    try {
      return await fn(backend)
    } finally {
      await backend.close()
    }
  }

  const ctx: ContractContext = {
    name,
    numRuns: options.numRuns ?? 300,
    withBackend,
    test(title, fn) {
      if (registered.has(title)) throw new Error(`contract: duplicate test title "${title}"`)
      registered.add(title)
      const reason = skipped.get(title)
      if (reason !== undefined) it.skip(`${title} [skipped: ${reason}]`, () => {})
      else it(title, () => withBackend(fn))
    },
    async load<I extends IndexName>(backend: SearchBackend, index: I, docs: readonly DocumentOf<I>[]) {
      await backend.index(index, docs)
      // The port's own promise: an eventually consistent backend settles, the others need not.
      await backend.settle?.()
    },
    async drop(backend, index, ids) {
      await backend.remove(index, ids)
      await backend.settle?.()
    },
  }

  describe(`SearchBackend contract: ${name}`, () => {
    messageCases(ctx)
    profileCases(ctx)
    writeCases(ctx)
    propertyCases(ctx)
    aggregationCases(ctx)
    options.additionalTests?.(ctx)

    // A skip that names no test is a typo that would silently run nothing or skip nothing.
    const unknown = [...skipped.keys()].filter((title) => !registered.has(title))
    if (unknown.length > 0) throw new Error(`contract: skip lists unknown tests: ${unknown.join('; ')}`)
  })
}
