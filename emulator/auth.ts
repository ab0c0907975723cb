/**
 * @module Request authentication as Tablestore does it: required headers, instance, AccessKey,
 * body MD5, clock skew and the HMAC-SHA1 signature over the canonical `x-ots-*` headers.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto'
import type { IncomingHttpHeaders } from 'node:http'
import { authFailed, invalidParameter } from './errors.ts'

/** Credentials and instance the emulator accepts. */
export interface AuthConfig {
  readonly accessKeyId: string
  readonly accessKeySecret: string
  readonly instanceName: string
}

const REQUIRED = [
  'x-ots-date',
  'x-ots-apiversion',
  'x-ots-accesskeyid',
  'x-ots-instancename',
  'x-ots-contentmd5',
  'x-ots-signature',
] as const

/** Tablestore rejects requests whose x-ots-date is more than 15 minutes off. */
const MAX_SKEW_MS = 15 * 60 * 1000

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const v = headers[name]
  return Array.isArray(v) ? v.join(',') : v
}

/** `x-ots-*` headers except the signature, lower-cased, sorted, as `name:value` lines. */
export function canonicalHeaders(headers: IncomingHttpHeaders): string {
  return Object.keys(headers)
    .map((k) => k.toLowerCase())
    .filter((k) => k.startsWith('x-ots-') && k !== 'x-ots-signature')
    .sort()
    .map((k) => `${k}:${header(headers, k) ?? ''}`)
    .join('\n')
}

/** The request signature the SDK computes (`lib/signer.js`). */
export function requestSignature(secret: string, path: string, headers: IncomingHttpHeaders): string {
  const stringToSign = `${path}\nPOST\n\n${canonicalHeaders(headers)}\n`
  return createHmac('sha1', secret).update(stringToSign).digest('base64')
}

/** The response `Authorization` signature other Tablestore SDKs verify (headers, then the path). */
export function responseSignature(secret: string, path: string, headers: Record<string, string>): string {
  const lines = Object.keys(headers)
    .filter((k) => k.startsWith('x-ots-'))
    .sort()
    .map((k) => `${k}:${headers[k]}\n`)
    .join('')
  return createHmac('sha1', secret)
    .update(lines + path)
    .digest('base64')
}

function safeEqual(a: string, b: string): boolean {
  const ab = Buffer.from(a)
  const bb = Buffer.from(b)
  return ab.length === bb.length && timingSafeEqual(ab, bb)
}

/** Throws a Tablestore-style error when the request is not authentic. */
export function authenticate(
  config: AuthConfig,
  path: string,
  headers: IncomingHttpHeaders,
  body: Buffer,
  now: number,
): void {
  for (const name of REQUIRED)
    if (header(headers, name) === undefined) throw invalidParameter(`Missing header: ${name}.`)
  if (header(headers, 'x-ots-ststoken') !== undefined)
    throw authFailed('STS tokens are not supported by the local emulator; use the AccessKey pair.')
  if (header(headers, 'x-ots-instancename') !== config.instanceName)
    throw authFailed('The instance is not found.')
  if (header(headers, 'x-ots-accesskeyid') !== config.accessKeyId)
    throw authFailed('The AccessKeyID does not exist.')
  const md5 = createHash('md5').update(body).digest('base64')
  if (header(headers, 'x-ots-contentmd5') !== md5)
    throw authFailed('Mismatch between MD5 value of request body and x-ots-contentmd5 in header.')
  const date = header(headers, 'x-ots-date') ?? ''
  const at = Date.parse(date)
  if (Number.isNaN(at)) throw invalidParameter(`Invalid date format: ${date}.`)
  if (Math.abs(now - at) > MAX_SKEW_MS)
    throw authFailed(`Mismatch between system time and x-ots-date: ${date}.`)
  const expected = requestSignature(config.accessKeySecret, path, headers)
  if (!safeEqual(expected, header(headers, 'x-ots-signature') ?? '')) throw authFailed('Signature mismatch.')
}
