/**
 * @module Tablestore-style failures: an OTS error code, an HTTP status and a message.
 *
 * The server turns an {@link OtsError} into `HTTP status + main.proto.Error{code, message}`, which is
 * what the real service sends and what the SDK surfaces as `err.code` (the status) and `err.message`.
 */

/** A request failure the emulator reports to the client the way Tablestore would. */
export class OtsError extends Error {
  override readonly name = 'OtsError'
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
  ) {
    super(message)
  }
}

/** 400 OTSParameterInvalid: a malformed or out-of-limit request. */
export function invalidParameter(message: string): OtsError {
  return new OtsError('OTSParameterInvalid', message, 400)
}

/** 400 OTSParameterInvalid for features the emulator deliberately does not implement. */
export function unsupported(feature: string): OtsError {
  return new OtsError('OTSParameterInvalid', `${feature} is not supported by the local emulator.`, 400)
}

/** 404 OTSObjectNotExist. */
export function notExist(message: string): OtsError {
  return new OtsError('OTSObjectNotExist', message, 404)
}

/** 409 OTSObjectAlreadyExist. */
export function alreadyExist(message: string): OtsError {
  return new OtsError('OTSObjectAlreadyExist', message, 409)
}

/** 403 OTSConditionCheckFail: row existence or column condition not met. */
export function conditionFailed(message = 'Condition check failed.'): OtsError {
  return new OtsError('OTSConditionCheckFail', message, 403)
}

/** 400 OTSInvalidPK: the primary key does not match the table schema. */
export function invalidPk(message: string): OtsError {
  return new OtsError('OTSInvalidPK', message, 400)
}

/** 403 OTSAuthFailed: signature, checksum, date or instance checks failed. */
export function authFailed(message: string): OtsError {
  return new OtsError('OTSAuthFailed', message, 403)
}

/**
 * 503 OTSTableNotReady: the table was created moments ago and does not serve reads and writes yet.
 *
 * CreateTable (https://www.alibabacloud.com/help/doc-detail/27312.html): "After you create a data
 * table, you cannot immediately perform read and write operations on the data table. In most cases,
 * you can perform read and write operations on a data table one minute after the data table is
 * created." The code is the one every official SDK retries (the Node SDK's
 * `lib/retry/retry_util.js`, the Java SDK's `ErrorCode.TABLE_NOT_READY`, "the table was just created
 * and cannot serve yet"). The error-codes page the emulator could read does not give its HTTP
 * status: 503 is the emulator's choice (a transient server-side condition, like
 * OTSPartitionUnavailable).
 */
export function tableNotReady(): OtsError {
  return new OtsError('OTSTableNotReady', 'The table is not ready.', 503)
}

/**
 * 403 OTSQuotaExhausted: the instance already holds its quota of tables. General limits
 * (https://help.aliyun.com/en/tablestore/product-overview/general-limits-of-tablestore/): 64 tables
 * per instance, "the number of data tables, secondary index tables, ..." The code is Tablestore's
 * quota code (error codes, https://www.alibabacloud.com/help/en/tablestore/developer-reference/error-codes);
 * the message is the emulator's wording.
 */
export function tableQuotaExceeded(max: number): OtsError {
  return new OtsError(
    'OTSQuotaExhausted',
    `Number of tables exceeded the quota: an instance holds at most ${max} tables, index tables included.`,
    403,
  )
}
