/**
 * @module The SDK client, built lazily (unstorage's `client ??= …`), and every call through one
 * place: a wall-clock timeout, bounded retries with exponential backoff and full jitter on
 * throttling, busy servers and timeouts, and errors wrapped as `[im-search] [tablestore] …`.
 *
 * Retrying is only safe when a repeat cannot apply a write twice. Reads and writes that are
 * idempotent (puts of a whole row, deletes, conditional puts whose failure the caller checks)
 * are retried on every transient error. A write that is not (a put with an auto-increment key) is
 * retried only when Tablestore says it refused the request (throttled, busy); after an ambiguous
 * failure (timeout, connection reset, 5xx) it fails at once so its caller can find out what
 * happened (see `message-log.ts`).
 */
import type { ResolvedOptions, RetryPolicy } from './config.ts'
import { BackendUnavailableError, parseSdkError, TablestoreError } from './errors.ts'
import { loadSdk, type SdkParams, type TablestoreClientLike } from './sdk.ts'

/**
 * Errors that mean "refused, not executed": safe to retry any call. The list follows Tablestore's
 * own SDKs (Java `DefaultRetryStrategy`, Node `RetryUtil.shouldRetryNoMatterWhichApi`, C++
 * `DefaultRetryStrategy`): throttling (403 OTSNotEnoughCapacityUnit, 403 OTSQuotaExhausted "Too
 * frequent table operations."), 503 OTSServerBusy and OTSPartitionUnavailable, 409
 * OTSRowOperationConflict, OTSTableNotReady.
 */
const REFUSED = new Set([
  'OTSServerBusy',
  'OTSPartitionUnavailable',
  'OTSNotEnoughCapacityUnit',
  'OTSCapacityUnitExhausted',
  'OTSOperationThrottled',
  'OTSTooFrequentReservedThroughputAdjustment',
  'OTSRowOperationConflict',
  'OTSTableNotReady',
  'ECONNREFUSED',
])
/** OTSQuotaExhausted is throttling only with this message; "Number of tables exceeded the quota." is not. */
const QUOTA_THROTTLED = /Too frequent table operations/
/**
 * Errors after which the call may or may not have been applied: retried only when repeating is
 * harmless. 503 OTSServerUnavailable is one (the SDKs retry it for reads only), as are timeouts,
 * 500s and broken connections.
 */
const AMBIGUOUS = new Set([
  'OTSTimeout',
  'OTSRequestTimeout',
  'OTSInternalServerError',
  'OTSServerUnavailable',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'NetworkingError',
  'TimeoutError',
])

export type Retryable = 'refused' | 'ambiguous' | undefined

/** How an error may be retried. */
export function retryClass(error: unknown): Retryable {
  if (error instanceof CallTimeout) return 'ambiguous'
  const { status, code, message } = parseSdkError(error)
  if (code === 'OTSQuotaExhausted') return QUOTA_THROTTLED.test(message) ? 'refused' : undefined
  if (code && REFUSED.has(code)) return 'refused'
  // The SDK reports a refused connection as a NetworkingError: nothing was sent.
  if (code === 'NetworkingError' && /ECONNREFUSED/.test(message)) return 'refused'
  if (code && AMBIGUOUS.has(code)) return 'ambiguous'
  if (status !== undefined && status >= 500 && status <= 504) return 'ambiguous'
  return undefined
}

class CallTimeout extends Error {
  override readonly name = 'CallTimeout'
  readonly code = 'TimeoutError'
}

/** The backoff before retry number `attempt` (1-based): uniform in [0, min(max, base·2^(attempt-1))). */
export function backoffMs(policy: RetryPolicy, attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1))
  return Math.floor(random() * ceiling)
}

export interface CallOptions {
  /** @default true */
  idempotent?: boolean
  /** Told when an attempt failed ambiguously: the call may be applied later, whatever happens next. */
  onUncertain?: () => void
}

type Operation = keyof TablestoreClientLike
type Result<K extends Operation> = Awaited<ReturnType<TablestoreClientLike[K]>>

export interface ClientDeps {
  /** A client instead of the SDK's (unit tests). */
  create?: () => TablestoreClientLike
  sleep?: (ms: number) => Promise<void>
  random?: () => number
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

export class TablestoreClient {
  readonly #options: ResolvedOptions
  readonly #deps: ClientDeps
  #client: TablestoreClientLike | undefined

  constructor(options: ResolvedOptions, deps: ClientDeps = {}) {
    this.#options = options
    this.#deps = deps
  }

  /** The SDK client, created on first use. */
  get sdk(): TablestoreClientLike {
    this.#client ??=
      this.#deps.create?.() ??
      new (loadSdk().Client)({
        endpoint: this.#options.endpoint,
        instancename: this.#options.instance,
        accessKeyId: this.#options.accessKeyId,
        secretAccessKey: this.#options.accessKeySecret,
        maxRetries: 0,
        httpOptions: { timeout: this.#options.requestTimeoutMs },
      })
    return this.#client
  }

  /** Runs one SDK call with the timeout and retry policy. */
  async call<K extends Operation>(op: K, params: SdkParams, options: CallOptions = {}): Promise<Result<K>> {
    const idempotent = options.idempotent ?? true
    const { retry } = this.#options
    const sleep = this.#deps.sleep ?? defaultSleep
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.#once(op, params)
      } catch (error) {
        const kind = retryClass(error)
        if (kind === 'ambiguous') options.onUncertain?.()
        const retryable = kind === 'refused' || (kind === 'ambiguous' && idempotent)
        const info = parseSdkError(error)
        if (!kind) {
          throw new TablestoreError(
            `${op} failed: ${info.code ?? info.status ?? 'error'}: ${info.message}`,
            op,
            info.code,
            info.status,
            { cause: error },
          )
        }
        if (!retryable || attempt >= retry.maxRetries) {
          const why = retryable ? `after ${attempt + 1} attempts` : 'and is not safe to repeat'
          throw new BackendUnavailableError(
            `${op} failed ${why}: ${info.code ?? info.status ?? 'error'}: ${info.message}`,
            op,
            info.code,
            info.status,
            { cause: error },
          )
        }
        await sleep(backoffMs(retry, attempt + 1, this.#deps.random))
      }
    }
  }

  async #once<K extends Operation>(op: K, params: SdkParams): Promise<Result<K>> {
    const method = this.sdk[op] as (p: SdkParams) => Promise<Result<K>>
    let timer: NodeJS.Timeout | undefined
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new CallTimeout(`no answer within ${this.#options.requestTimeoutMs} ms`)),
        this.#options.requestTimeoutMs,
      )
    })
    try {
      return await Promise.race([method.call(this.sdk, params), timeout])
    } finally {
      clearTimeout(timer)
    }
  }
}

/** The OTS code of an error the client threw, if any. */
export function otsCode(error: unknown): string | undefined {
  return error instanceof TablestoreError || error instanceof BackendUnavailableError
    ? error.code
    : parseSdkError(error).code
}
