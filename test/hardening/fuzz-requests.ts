/**
 * @module Requests for one documented operation: valid-shaped ones (every part from its schema) and
 * hostile ones (each part valid-shaped or hostile at random, so a bad value also meets good
 * neighbours and reaches the handler when it slips through validation).
 */
import fc from 'fast-check'
import {
  encodeRaw,
  hostileJsonValue,
  hostileRawBody,
  hostileText,
  hostileUrlValue,
} from './hostile-values.ts'
import type { JsonSchema, Operation, ParamSpec } from './openapi-operations.ts'
import { validValue } from './schema-values.ts'

/** What the fuzz suite sends: the URL path with its query, and the body as text or raw bytes. */
export interface FuzzRequest {
  method: string
  url: string
  body?: string | Uint8Array
}

/** A URL-ready value: a string, or several for a repeated parameter; `undefined` leaves it out. */
type UrlValue = string | string[] | undefined

const toUrlText = (value: unknown): string =>
  encodeRaw(typeof value === 'string' ? value : JSON.stringify(value))

function validUrlValue(param: ParamSpec): fc.Arbitrary<string | string[]> {
  const value = validValue(param.schema, { name: param.name })
  const text = value.map((v) => (Array.isArray(v) ? v.map(toUrlText) : toUrlText(v)))
  // A path segment of "." or ".." (even as %2E) is removed by URL parsing on the way: the request
  // would name another route (`/reindex/./cancel` is `/reindex/cancel`), not this one.
  return param.in === 'path' ? text.filter((v) => !isDotSegment(v)) : text
}

function isDotSegment(value: string | string[]): boolean {
  return typeof value === 'string' && /^(\.|%2e){1,2}$/i.test(value)
}

function hostileUrlValueFor(param: ParamSpec): fc.Arbitrary<string | string[]> {
  return fc.oneof(
    { weight: 4, arbitrary: hostileUrlValue },
    // Repeated where one is expected, or a list longer than any bound.
    { weight: 1, arbitrary: fc.array(hostileUrlValue, { minLength: 2, maxLength: 40 }) },
    { weight: 1, arbitrary: validUrlValue(param) },
  )
}

function buildUrl(op: Operation, values: Record<string, UrlValue>, extra: [string, string][]): string {
  let path = op.template
  const query: string[] = []
  for (const param of op.params) {
    const value = values[param.name]
    if (param.in === 'path') path = path.replace(`{${param.name}}`, typeof value === 'string' ? value : '')
    else if (value !== undefined)
      for (const v of Array.isArray(value) ? value : [value]) query.push(`${param.name}=${v}`)
  }
  for (const [k, v] of extra) query.push(`${k}=${v}`)
  return query.length > 0 ? `${path}?${query.join('&')}` : path
}

function urlValues(op: Operation, pick: (p: ParamSpec) => fc.Arbitrary<UrlValue>) {
  return fc.record(Object.fromEntries(op.params.map((p) => [p.name, pick(p)])))
}

/** Replaces the value at a path chosen by `choices` (indexes into keys or items) with `replacement`. */
export function replaceAt(value: unknown, choices: readonly number[], replacement: unknown): unknown {
  if (choices.length === 0 || value === null || typeof value !== 'object') return replacement
  const [choice = 0, ...rest] = choices
  if (Array.isArray(value)) {
    if (value.length === 0) return [replacement]
    const i = choice % value.length
    return value.map((item, j) => (j === i ? replaceAt(item, rest, replacement) : item))
  }
  const keys = Object.keys(value)
  if (keys.length === 0) return { [String(choice)]: replacement }
  const key = keys[choice % keys.length] as string
  return { ...value, [key]: replaceAt((value as Record<string, unknown>)[key], rest, replacement) }
}

function validBody(schema: JsonSchema, messageBody: fc.Arbitrary<unknown> | undefined) {
  return validValue(schema, messageBody ? { unknown: messageBody } : {})
}

function hostileBody(schema: JsonSchema, messageBody: fc.Arbitrary<unknown> | undefined) {
  const valid = validBody(schema, messageBody)
  return fc.oneof(
    // One value somewhere in an otherwise valid body replaced by something hostile.
    fc
      .tuple(valid, fc.array(fc.nat(), { minLength: 1, maxLength: 4 }), hostileJsonValue)
      .map(([body, path, bad]) => JSON.stringify(replaceAt(body, path, bad))),
    // A string somewhere replaced by hostile text, the most common way bad input arrives.
    fc
      .tuple(valid, fc.array(fc.nat(), { minLength: 1, maxLength: 4 }), hostileText)
      .map(([body, path, bad]) => JSON.stringify(replaceAt(body, path, bad))),
    // The whole body of the wrong type, or bytes that are not JSON, or not UTF-8.
    hostileJsonValue.map((v) => JSON.stringify(v) ?? 'null'),
    hostileRawBody,
  )
}

/** Requests whose every part has the shape the schema documents. */
export function validRequest(op: Operation, messageBody?: fc.Arbitrary<unknown>): fc.Arbitrary<FuzzRequest> {
  const values = urlValues(op, (p) =>
    // Optional parameters are left out half the time, so their combinations stay plausible.
    p.required ? validUrlValue(p) : fc.option(validUrlValue(p), { nil: undefined, freq: 2 }),
  )
  const body = op.body
    ? validBody(op.body, messageBody).map((b) => JSON.stringify(b))
    : fc.constant(undefined)
  return fc.tuple(values, body).map(([v, b]) => ({
    method: op.method,
    url: buildUrl(op, v, []),
    ...(b === undefined ? {} : { body: b }),
  }))
}

/** Requests where any part may be hostile: path and query values, unknown parameters, the body. */
export function hostileRequest(
  op: Operation,
  messageBody?: fc.Arbitrary<unknown>,
): fc.Arbitrary<FuzzRequest> {
  const values = urlValues(op, (p) =>
    p.required ? hostileUrlValueFor(p) : fc.option(hostileUrlValueFor(p), { nil: undefined, freq: 3 }),
  )
  const extra = fc.array(
    fc.tuple(fc.oneof(hostileUrlValue, fc.constantFrom('q', 'limit', 'userId')), hostileUrlValue),
    {
      maxLength: 3,
    },
  )
  const body = op.body ? hostileBody(op.body, messageBody) : fc.constant(undefined)
  return fc.tuple(values, extra, body).map(([v, e, b]) => ({
    method: op.method,
    url: buildUrl(op, v, e),
    ...(b === undefined ? {} : { body: b }),
  }))
}
