/**
 * @module The opaque `after` token: Tablestore's `next_token` plus what the port needs that the
 * token does not say: the generation whose search index issued it (a `next_token` is only valid on
 * that index, so after a reindex swaps generations the cursor is refused with that reason), how many
 * hits were already returned and the total the previous page reported (so that `next` is absent
 * exactly on the last page while the data holds still, and a changed total is noticed; every page
 * asks Tablestore for the current total).
 */
import { InvalidPageTokenError } from '../../src/ports/search-backend.ts'

export interface PageState {
  /** Tablestore's `next_token`. */
  token: Buffer
  /**
   * The generation of the document table whose index issued `token`; undefined in a token of
   * version 1, issued before tokens named it (accepted as the live one during an upgrade).
   */
  generation?: number | undefined
  /** Hits returned by the previous pages. */
  returned: number
  /** The total the page that issued this token reported. */
  total: number
}

export function encodePageToken(state: PageState): string {
  const json = JSON.stringify({
    v: 2,
    t: state.token.toString('base64'),
    g: state.generation,
    r: state.returned,
    n: state.total,
  })
  return Buffer.from(json, 'utf8').toString('base64url')
}

export function decodePageToken(after: string): PageState {
  let parsed: unknown
  try {
    parsed = JSON.parse(Buffer.from(after, 'base64url').toString('utf8'))
  } catch {
    throw new InvalidPageTokenError('page token is not one this backend issued')
  }
  const { v, t, g, r, n } = (parsed ?? {}) as Record<string, unknown>
  const count = (x: unknown): x is number => typeof x === 'number' && Number.isSafeInteger(x) && x >= 0
  const generation = v === 2 && count(g) && g >= 1 ? g : undefined
  const valid =
    (v === 1 || generation !== undefined) && typeof t === 'string' && t.length > 0 && count(r) && count(n)
  if (!valid) throw new InvalidPageTokenError('page token is not one this backend issued')
  return { token: Buffer.from(t, 'base64'), generation, returned: r, total: n }
}
