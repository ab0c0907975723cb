/**
 * @module One page of a search: validate the query against the index, run it, and wrap the
 * backend's page token in a signed cursor bound to the caller and the search.
 */
import { InvalidPageTokenError, type SearchBackend, type SearchHit } from '../ports/search-backend.ts'
import type { Query } from '../query/dsl.ts'
import type { IndexName } from '../query/index-schemas.ts'
import type { Sort } from '../query/sort.ts'
import { validateQuery, validateSort } from '../query/validate.ts'
import type { CursorCodec } from './cursor.ts'
import { invalidInput } from './errors.ts'

export interface PageRequest {
  query: Query
  sort: Sort[]
  limit: number
  cursor?: string | undefined
}

export interface Page<I extends IndexName> {
  hits: SearchHit<I>[]
  total: number
  nextCursor?: string | undefined
}

/**
 * @param search the caller's search parameters (without cursor and limit): the cursor is valid
 * only for the same search, so a client cannot splice one search's position into another.
 */
export async function runPage<I extends IndexName>(
  backend: SearchBackend,
  cursors: CursorCodec,
  callerId: string,
  index: I,
  search: unknown,
  request: PageRequest,
): Promise<Page<I>> {
  const issues = [...validateQuery(index, request.query), ...validateSort(index, request.sort)]
  // The services build these queries; an issue here is a bug in the service, not client input.
  if (issues.length > 0) throw new Error(`[im-search] invalid ${index} query: ${JSON.stringify(issues)}`)
  const scope = [index, search]
  const after = request.cursor ? cursors.decode(callerId, scope, request.cursor) : undefined
  try {
    const page = await backend.search(index, {
      query: request.query,
      sort: request.sort,
      limit: request.limit,
      after,
    })
    return {
      hits: page.hits,
      total: page.total,
      nextCursor: page.next ? cursors.encode(callerId, scope, page.next) : undefined,
    }
  } catch (error) {
    if (error instanceof InvalidPageTokenError)
      throw invalidInput('cursor is not valid for this search', [{ path: 'cursor', message: error.message }])
    throw error
  }
}
