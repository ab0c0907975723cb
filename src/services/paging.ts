/**
 * @module One page of a search: validate the query against the index, run it, and wrap the
 * backend's page token in a signed cursor bound to the caller and the search.
 */
import type { FacetCounts, SearchGroup } from '../ports/facets.ts'
import {
  InvalidPageTokenError,
  type SearchBackend,
  type SearchHit,
  type SearchRequest,
} from '../ports/search-backend.ts'
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
  facets?: SearchRequest['facets']
  /**
   * The query comes from a builder whose every output a property test checks against the schema
   * (`buildMessageQuery`, test/unit/message-query.test.ts): not checked again per request.
   */
  checked?: true | undefined
}

export interface Page<I extends IndexName> {
  hits: SearchHit<I>[]
  total: number
  nextCursor?: string | undefined
  facets?: FacetCounts | undefined
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
  if (!request.checked) checkQuery(index, request.query, request.sort)
  const { page, nextCursor } = await signed(cursors, callerId, [index, search], request.cursor, (after) =>
    backend.search(index, {
      query: request.query,
      sort: request.sort,
      limit: request.limit,
      after,
      facets: request.facets,
    }),
  )
  // Set only when counted: a page without facets has no `facets` key (no spread, V8's generic copy).
  const result: Page<I> = { hits: page.hits, total: page.total, nextCursor }
  if (page.facets) result.facets = page.facets
  return result
}

export interface GroupedPageRequest extends PageRequest {
  /** The keyword field the matches are grouped by. */
  field: string
}

export interface GroupedPage<I extends IndexName> {
  groups: SearchGroup<I>[]
  total: number
  nextCursor?: string | undefined
}

/** {@link runPage} for a search grouped by a field: a page of groups, the cursor signed alike. */
export async function runGroupedPage<I extends IndexName>(
  backend: SearchBackend,
  cursors: CursorCodec,
  callerId: string,
  index: I,
  search: unknown,
  request: GroupedPageRequest,
): Promise<GroupedPage<I>> {
  if (!request.checked) checkQuery(index, request.query, request.sort)
  const scope = [index, 'grouped', request.field, search]
  const { page, nextCursor } = await signed(cursors, callerId, scope, request.cursor, (after) =>
    backend.searchGrouped(index, {
      query: request.query,
      field: request.field,
      sort: request.sort,
      limit: request.limit,
      after,
    }),
  )
  return { groups: page.groups, total: page.total, nextCursor }
}

/**
 * Runs a page with the backend token the cursor carries, and signs the next one: a cursor is
 * valid only for its caller and `scope`, and a token the backend refuses is the client's 400.
 */
async function signed<P extends { next?: string | undefined }>(
  cursors: CursorCodec,
  callerId: string,
  scope: unknown,
  cursor: string | undefined,
  run: (after: string | undefined) => Promise<P>,
): Promise<{ page: P; nextCursor: string | undefined }> {
  const after = cursor ? cursors.decode(callerId, scope, cursor) : undefined
  try {
    const page = await run(after)
    return { page, nextCursor: page.next ? cursors.encode(callerId, scope, page.next) : undefined }
  } catch (error) {
    if (error instanceof InvalidPageTokenError)
      throw invalidInput('cursor is not valid for this search', [{ path: 'cursor', message: error.message }])
    throw error
  }
}

function checkQuery(index: IndexName, query: Query, sort: readonly Sort[]): void {
  const issues = [...validateQuery(index, query), ...validateSort(index, sort)]
  // The services build these queries; an issue here is a bug in the service, not client input.
  if (issues.length > 0) throw new Error(`[im-search] invalid ${index} query: ${JSON.stringify(issues)}`)
}
