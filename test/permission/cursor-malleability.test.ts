/**
 * @module Regression (issue 8, found by the permission suite with seed 20250801): a cursor with a
 * character appended that base64url decoding skips (`!`), or with the unused low bits of its last
 * signature character changed, decoded to the same signature and was accepted. Tamper-proof means
 * a cursor is valid only as the exact string the service issued.
 */
import { describe, expect, it } from 'vitest'
import { createHarness, expectJson, expectProblem, qs } from '../routes/harness.ts'

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'

describe('cursors are valid only as issued, character for character', () => {
  it('refuses variants that decode to the same bytes', async () => {
    const h = createHarness()
    expectJson(await h.ingest('PUT', '/v1/users/u1', { name: '张伟' }), 201)
    for (const id of ['m1', 'm2', 'm3']) {
      const body = {
        messageId: id,
        conversationId: 'dm-u1',
        senderId: 'u1',
        content: '上海',
        recipients: ['u1'],
      }
      expectJson(await h.ingest('POST', '/v1/messages', body), 201)
    }
    const search = (cursor?: string) =>
      h.get('u1', `/v1/search/messages${qs({ q: '上海', limit: 1, cursor })}`)
    const cursor: string = expectJson(await search(), 200).nextCursor
    expect(expectJson(await search(cursor), 200).hits).toHaveLength(1)
    // 32 signature bytes are 43 characters, the last carrying two unused bits.
    const last = ALPHABET.indexOf(cursor.at(-1) as string)
    const sameBytes = cursor.slice(0, -1) + ALPHABET[last ^ 1]
    expect(Buffer.from(sameBytes.split('.')[1] as string, 'base64url')).toEqual(
      Buffer.from(cursor.split('.')[1] as string, 'base64url'),
    )
    for (const forged of [`${cursor}!`, `${cursor}=`, sameBytes, cursor.replace('.', '.!')])
      expectProblem(await search(forged), 400, 'cursor')
  })
})
