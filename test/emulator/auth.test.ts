import { createHash, createHmac } from 'node:crypto'
import { request } from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mainMessage } from '../../emulator/protocol/proto.ts'
import type { Harness } from './helpers.ts'
import { clientFor, expectOtsError, startHarness } from './helpers.ts'

let h: Harness
beforeAll(async () => {
  h = await startHarness({ accessKeyId: 'kid', accessKeySecret: 'top-secret', instanceName: 'inst' })
})
afterAll(async () => {
  await h.emu.close()
})

interface RawResponse {
  status: number
  code: string
  message: string
}

/** Sends a request signed the way the SDK signs (lib/signer.js), optionally tampered with. */
function rawCall(
  operation: string,
  body: Buffer,
  tamper: { md5?: string; date?: string; method?: string } = {},
): Promise<RawResponse> {
  const url = new URL(h.emu.endpoint)
  const path = `/${operation}`
  const headers: Record<string, string> = {
    'x-ots-apiversion': '2015-12-31',
    'x-ots-instancename': 'inst',
    'x-ots-contentmd5': tamper.md5 ?? createHash('md5').update(body).digest('base64'),
    'x-ots-date': tamper.date ?? new Date().toISOString(),
    'x-ots-accesskeyid': 'kid',
  }
  const canonical = Object.keys(headers)
    .sort()
    .map((k) => `${k}:${headers[k]}`)
    .join('\n')
  headers['x-ots-signature'] = createHmac('sha1', 'top-secret')
    .update(`${path}\nPOST\n\n${canonical}\n`)
    .digest('base64')
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        path,
        method: tamper.method ?? 'POST',
        headers: { ...headers, 'content-length': body.length },
      },
      (res) => {
        const chunks: Buffer[] = []
        res.on('data', (c: Buffer) => chunks.push(c))
        res.on('end', () => {
          const status = res.statusCode ?? 0
          if (status < 300) return resolve({ status, code: '', message: '' })
          const out = mainMessage('Error').decode(Buffer.concat(chunks)) as { code: string; message: string }
          resolve({ status, code: out.code, message: out.message })
        })
      },
    )
    req.on('error', reject)
    req.end(body)
  })
}

describe('authentication and protocol errors', () => {
  it('accepts the SDK when the credentials match', async () => {
    await expect(h.client.listTable({})).resolves.toEqual(expect.objectContaining({ tableNames: [] }))
  })

  it('rejects a wrong secret, key id or instance with 403 OTSAuthFailed', async () => {
    expect(
      await expectOtsError(clientFor(h.emu, { secret: 'wrong' }).listTable({}), 403, 'OTSAuthFailed'),
    ).toContain('Signature mismatch')
    await expectOtsError(clientFor(h.emu, { keyId: 'other' }).listTable({}), 403, 'OTSAuthFailed')
    await expectOtsError(clientFor(h.emu, { instance: 'other' }).listTable({}), 403, 'OTSAuthFailed')
  })

  it('checks the body MD5 and the request date', async () => {
    const body = Buffer.from(mainMessage('ListTableRequest').encode({}).finish())
    expect((await rawCall('ListTable', body)).status).toBe(200)
    const badMd5 = await rawCall('ListTable', body, { md5: 'AAAAAAAAAAAAAAAAAAAAAA==' })
    expect([badMd5.status, badMd5.code]).toEqual([403, 'OTSAuthFailed'])
    expect(badMd5.message).toContain('MD5')
    const stale = await rawCall('ListTable', body, { date: new Date(Date.now() - 3_600_000).toISOString() })
    expect([stale.status, stale.code]).toEqual([403, 'OTSAuthFailed'])
  })

  it('answers unknown operations and non-POST methods with Tablestore errors', async () => {
    const unknown = await rawCall('FrobnicateTable', Buffer.alloc(0))
    expect([unknown.status, unknown.code, unknown.message]).toEqual([
      400,
      'OTSParameterInvalid',
      'Unsupported operation: FrobnicateTable.',
    ])
    const get = await rawCall('ListTable', Buffer.alloc(0), { method: 'GET' })
    expect([get.status, get.code]).toEqual([405, 'OTSMethodNotAllowed'])
  })

  it('answers malformed bodies with OTSParameterInvalid', async () => {
    const res = await rawCall('DescribeTable', Buffer.from([0xff, 0xff, 0xff]))
    expect([res.status, res.code]).toEqual([400, 'OTSParameterInvalid'])
  })

  it('records every request it handled', () => {
    expect(h.emu.requests.some((r) => r.operation === 'ListTable' && r.status === 200)).toBe(true)
    expect(h.emu.requests.some((r) => r.errorCode === 'OTSAuthFailed')).toBe(true)
  })
})
