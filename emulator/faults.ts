/**
 * @module Fault injection for the emulator: throttling and busy errors with the codes and HTTP
 * statuses the real service uses, slow answers, and dropped connections, chosen per request by
 * rules with a rate or a count and a seeded PRNG (so a run can be replayed with its seed).
 *
 * The faults fall in two families, as Tablestore's own SDKs classify them:
 * - **refused** (`busy`, `partition-unavailable`, `capacity`, `quota`, `conflict`): the server did
 *   not execute the request, so the operation is never applied;
 * - **ambiguous** (`timeout`, `unavailable`, `internal`, `drop`, `slow`): the client cannot know.
 *   With `phase: 'after'` the operation *is* applied and then the answer is an error or nothing
 *   at all (the socket is destroyed) — the case that duplicates non-idempotent writes;
 * - **partial** (Search only): the answer comes from part of the index's shards, with
 *   `is_all_succeeded: false`. Search (https://www.alibabacloud.com/help/en/tablestore/developer-reference/search)
 *   documents `is_all_succeeded` as whether the query succeeded on every partition; the rows, total
 *   and aggregations of such an answer count only the partitions that answered.
 *
 * @example
 * const emu = await startEmulator({ port: 0, faultSeed: 7 })
 * emu.faults.inject({ kind: 'busy', operations: ['PutRow'], rate: 0.2 })
 * emu.faults.inject({ kind: 'drop', phase: 'after', count: 3 })
 * emu.faults.inject({ kind: 'slow', delayMs: 500, rate: 0.05 })
 */
import type { ServerResponse } from 'node:http'
import { OtsError } from './errors.ts'
import type { AnswerMods } from './ops/context.ts'

/** Errors the server answers without executing the request: [OTS code, HTTP status, message]. */
const REFUSALS = {
  busy: ['OTSServerBusy', 503, 'Server is busy.'],
  'partition-unavailable': ['OTSPartitionUnavailable', 503, 'The partition is not available.'],
  capacity: ['OTSNotEnoughCapacityUnit', 403, 'Remaining capacity unit is not enough.'],
  quota: ['OTSQuotaExhausted', 403, 'Too frequent table operations.'],
  conflict: ['OTSRowOperationConflict', 409, 'Data is being modified by the other request.'],
} as const

/** Server errors after which the request may or may not have been executed. */
const AMBIGUOUS_ERRORS = {
  timeout: ['OTSTimeout', 503, 'Operation timeout.'],
  unavailable: ['OTSServerUnavailable', 503, 'Server is not available.'],
  internal: ['OTSInternalServerError', 500, 'Internal server error.'],
} as const

export type RefusalKind = keyof typeof REFUSALS
export type AmbiguousErrorKind = keyof typeof AMBIGUOUS_ERRORS
export type FaultKind = RefusalKind | AmbiguousErrorKind | 'drop' | 'slow' | 'partial'

export const FAULT_KINDS: readonly FaultKind[] = [
  ...(Object.keys(REFUSALS) as RefusalKind[]),
  ...(Object.keys(AMBIGUOUS_ERRORS) as AmbiguousErrorKind[]),
  'drop',
  'slow',
  'partial',
]

/** The only operation a `partial` fault applies to. */
const PARTIAL_OPERATION = 'Search'

/** One injection rule. Rules are tried in the order they were added; the first that fires wins. */
export interface FaultRule {
  kind: FaultKind
  /** Operation names as in the request path (`PutRow`, `GetRange`, `Search`, …). @default every operation */
  operations?: readonly string[]
  /**
   * Table names: only requests addressed to one of them (row operations, GetRange, Search, and the
   * first table of a batch). @default every table
   */
  tables?: readonly string[]
  /** Probability that a matching request gets the fault. @default 1 */
  rate?: number
  /** Fire at most this many times, then stay inert. @default unlimited */
  count?: number
  /**
   * Ambiguous kinds only: `before` fails without executing the operation, `after` executes it and
   * then fails (or, for `slow`, answers late). Refusals are always `before`. @default 'before'
   */
  phase?: 'before' | 'after'
  /** `slow` only: how long the answer is held back. @default 1000 */
  delayMs?: number
}

/** An injected fault, for the test report. */
export interface FaultEvent {
  readonly kind: FaultKind
  readonly operation: string
  readonly phase: 'before' | 'after'
}

interface ActiveRule extends Required<Omit<FaultRule, 'operations' | 'tables' | 'count'>> {
  operations: ReadonlySet<string> | undefined
  tables: ReadonlySet<string> | undefined
  remaining: number
}

/** What {@link FaultInjector.run} resolves with when it dropped the connection instead of answering. */
export const DROPPED = Symbol('dropped')

/** Mulberry32: a tiny, fast PRNG whose whole sequence follows from its 32-bit seed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

export class FaultInjector {
  readonly #rules: ActiveRule[] = []
  readonly #events: FaultEvent[] = []
  #random: () => number

  constructor(readonly seed = 1) {
    this.#random = seededRandom(seed)
  }

  /** Adds a rule; validates it so that a typo fails the test that wrote it. */
  inject(rule: FaultRule): this {
    if (!FAULT_KINDS.includes(rule.kind))
      throw new Error(`[im-search] [tablestore-emulator] unknown fault kind '${rule.kind}'`)
    const rate = rule.rate ?? 1
    if (!(rate >= 0 && rate <= 1))
      throw new Error(`[im-search] [tablestore-emulator] fault rate must be in [0, 1], got ${rule.rate}`)
    if (rule.kind in REFUSALS && rule.phase === 'after')
      throw new Error(`[im-search] [tablestore-emulator] '${rule.kind}' is a refusal: it cannot happen after`)
    if (rule.kind === 'partial' && rule.operations?.some((op) => op !== PARTIAL_OPERATION))
      throw new Error(`[im-search] [tablestore-emulator] 'partial' applies to ${PARTIAL_OPERATION} only`)
    this.#rules.push({
      kind: rule.kind,
      operations: rule.operations ? new Set(rule.operations) : undefined,
      tables: rule.tables ? new Set(rule.tables) : undefined,
      rate,
      remaining: rule.count ?? Number.POSITIVE_INFINITY,
      phase: rule.phase ?? 'before',
      delayMs: rule.delayMs ?? 1000,
    })
    return this
  }

  /** Removes every rule (events are kept) and restarts the PRNG from the seed. */
  clear(): this {
    this.#rules.length = 0
    this.#random = seededRandom(this.seed)
    return this
  }

  /** Every fault injected so far, in order. */
  get events(): readonly FaultEvent[] {
    return this.#events
  }

  /** Injected faults counted by kind. */
  counts(): Partial<Record<FaultKind, number>> {
    const out: Partial<Record<FaultKind, number>> = {}
    for (const e of this.#events) out[e.kind] = (out[e.kind] ?? 0) + 1
    return out
  }

  /**
   * Runs one request's operation under the rules: resolves with its answer, rejects with an
   * {@link OtsError} the server formats, or resolves {@link DROPPED} after destroying the socket.
   */
  async run(
    operation: string,
    body: Uint8Array,
    res: ServerResponse,
    apply: (mods: AnswerMods) => Uint8Array,
  ): Promise<Uint8Array | typeof DROPPED> {
    const rule = this.#pick(operation, body)
    if (!rule) return apply({})
    this.#events.push({ kind: rule.kind, operation, phase: rule.phase })
    if (rule.kind === 'partial') return apply({ partial: true })
    if (rule.kind === 'slow') {
      // The client may give up meanwhile; the operation still runs, as on a real server.
      if (rule.phase === 'before') await sleep(rule.delayMs)
      const out = apply({})
      if (rule.phase === 'after') await sleep(rule.delayMs)
      return out
    }
    if (rule.phase === 'after') apply({})
    if (rule.kind === 'drop') {
      res.socket?.destroy()
      return DROPPED
    }
    const [code, status, message] =
      rule.kind in REFUSALS
        ? REFUSALS[rule.kind as RefusalKind]
        : AMBIGUOUS_ERRORS[rule.kind as AmbiguousErrorKind]
    throw new OtsError(code, message, status)
  }

  #pick(operation: string, body: Uint8Array): ActiveRule | undefined {
    let table: string | undefined | null = null
    for (const rule of this.#rules) {
      if (rule.remaining <= 0 || (rule.operations && !rule.operations.has(operation))) continue
      if (rule.kind === 'partial' && operation !== PARTIAL_OPERATION) continue
      if (rule.tables) {
        table ??= tableOf(body)
        if (table === undefined || !rule.tables.has(table)) continue
      }
      // Draw only for matching rules, so adding a rule for other operations keeps a run's sequence.
      if (rule.rate < 1 && this.#random() >= rule.rate) continue
      rule.remaining--
      return rule
    }
    return undefined
  }
}

/**
 * The table a request addresses: every request message that names one table has `table_name` as
 * field 1; BatchWriteRow and BatchGetRow nest it one level down (their field 1 is the first table).
 */
function tableOf(body: Uint8Array): string | undefined {
  let bytes = firstField(body)
  // Table names cannot start with byte 0x0A (a newline), so a nested message is unambiguous.
  if (bytes?.[0] === 0x0a) bytes = firstField(bytes)
  return bytes && Buffer.from(bytes).toString('utf8')
}

/** The bytes of field 1 when it comes first with wire type 2 (tag byte 0x0A), as pbjs writes it. */
function firstField(message: Uint8Array): Uint8Array | undefined {
  if (message[0] !== 0x0a) return undefined
  let length = 0
  let i = 1
  for (let shift = 0; i < message.length && shift < 35; shift += 7) {
    const byte = message[i++] as number
    length |= (byte & 0x7f) << shift
    if (byte < 0x80) break
  }
  return message.subarray(i, i + length)
}

/**
 * Parses the CLI form `kind[:Op,Op][@rate][xcount][+phase][~delayMs]`: `busy:PutRow@0.2` (a fifth
 * of PutRows are refused as busy), `drop+afterx3` (three requests are applied, then their
 * connection dropped), `slow~800@0.05` (one request in twenty answers 800 ms late).
 */
export function parseFaultSpec(spec: string): FaultRule {
  const m = /^([a-z-]+)(?::([A-Za-z,*]+))?((?:[@x+~][^@x+~]+)*)$/.exec(spec)
  if (!m) throw new Error(`[im-search] [tablestore-emulator] cannot parse fault '${spec}'`)
  const [, kind, ops, mods = ''] = m
  if (!FAULT_KINDS.includes(kind as FaultKind))
    throw new Error(`[im-search] [tablestore-emulator] fault '${spec}': unknown fault kind '${kind}'`)
  const rule: FaultRule = { kind: kind as FaultKind }
  if (ops && ops !== '*') rule.operations = ops.split(',')
  for (const [, sign, value] of mods.matchAll(/([@x+~])([^@x+~]+)/g)) {
    if (sign === '@') rule.rate = Number(value)
    else if (sign === 'x') rule.count = Number(value)
    else if (sign === '~') rule.delayMs = Number(value)
    else if (value === 'after' || value === 'before') rule.phase = value
    else throw new Error(`[im-search] [tablestore-emulator] fault '${spec}': phase must be before or after`)
  }
  for (const n of [rule.count, rule.delayMs])
    if (n !== undefined && !(Number.isInteger(n) && n >= 0))
      throw new Error(`[im-search] [tablestore-emulator] fault '${spec}': counts and delays are integers`)
  return rule
}
