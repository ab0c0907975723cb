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
