/**
 * @module Issue #12, part 1, step 3: `search_hits` (and so scores) come back only with highlighting
 * (SearchHit, https://www.alibabacloud.com/help/en/tablestore/developer-reference/searchhit), and
 * Highlight as documented for SDK 5.5+ (HighlightParameter,
 * https://www.alibabacloud.com/help/en/tablestore/developer-reference/highlightparameter; Highlight
 * for Node.js, https://alibabacloud.com/help/en/tablestore/developer-reference/query-highlight-by-using-nodejs-sdk).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Harness } from './helpers.ts'
import { createTable, expectOtsError, ignore, pk, startHarness, TableStore } from './helpers.ts'

const Q = TableStore.QueryType
const R = TableStore.ColumnReturnType
const { FieldType } = TableStore

let h: Harness
const filler = (n: number) => ' lorem ipsum'.repeat(n)
const DOCS: Record<string, Record<string, string>> = {
  a: { body: '杭州西湖的风景很美 West Lake in Hangzhou', tag: 'lake' },
  b: { body: `Hangzhou is a city${filler(20)} the lake is west${filler(20)} a West Lake tour`, tag: 'city' },
  c: { body: 'Shanghai <b>Bund</b> & "harbour"', tag: 'sea' },
}

beforeAll(async () => {
  h = await startHarness()
  await createTable(h.client, 'hl')
  await h.client.createSearchIndex({
    tableName: 'hl',
    indexName: 'hl_idx',
    schema: {
      fieldSchemas: [
        { fieldName: 'body', fieldType: FieldType.TEXT, enableHighlighting: true },
        { fieldName: 'plain', fieldType: FieldType.TEXT },
        { fieldName: 'tag', fieldType: FieldType.KEYWORD },
      ],
    },
  })
  for (const [id, cols] of Object.entries(DOCS))
    await h.client.putRow({
      tableName: 'hl',
      condition: ignore(),
      primaryKey: [{ id }],
      attributeColumns: [...Object.entries(cols).map(([k, v]) => ({ [k]: v })), { plain: cols.body }],
    })
})
afterAll(async () => {
  await h.emu.close()
})

const search = (query: object, extra: object = {}) =>
  h.client.search({
    tableName: 'hl',
    indexName: 'hl_idx',
    searchQuery: { offset: 0, limit: 10, query, ...extra },
    columnToGet: { returnType: R.RETURN_NONE },
  })
const match = (text: string, fieldName = 'body') => ({ queryType: Q.MATCH_QUERY, query: { fieldName, text } })
const fragments = (res: Awaited<ReturnType<typeof search>>): Record<string, string[] | null> =>
  Object.fromEntries(
    res.searchHits.map((hit) => [
      pk(hit.row).id,
      hit.highlightResultItem?.highlightFields.get('body')?.fragments ?? null,
    ]),
  )

describe('search hits', () => {
  it('without highlighting only rows come back: no search hits, so no scores', async () => {
    const res = await search(match('west lake'), {
      sort: { sorters: [{ scoreSort: { order: TableStore.SortOrder.SORT_ORDER_DESC } }] },
    })
    expect(res.rows.length).toBe(2)
    expect(res.searchHits).toEqual([])
  })

  it('with highlighting every row has a hit with its score', async () => {
    const res = await search(match('west lake'), {
      highlight: { highlightParameters: [{ fieldName: 'body' }] },
    })
    expect(res.searchHits.map((hit) => pk(hit.row).id)).toEqual(res.rows.map((r) => pk(r).id))
    for (const hit of res.searchHits) expect(hit.score).toBeGreaterThan(0)
  })
})

describe('highlight', () => {
  it('tags every matched token with <em></em> by default, Chinese characters one by one', async () => {
    const res = await search(match('西湖'), { highlight: { highlightParameters: [{ fieldName: 'body' }] } })
    expect(fragments(res)).toEqual({ a: ['杭州<em>西</em><em>湖</em>的风景很美 West Lake in Hangzhou'] })
  })

  it('uses the given tags and cuts fragments of about fragment_size characters, at most number_of_fragments', async () => {
    const params = {
      fieldName: 'body',
      preTag: '<b>',
      postTag: '</b>',
      fragmentSize: 30,
      numberOfFragments: 2,
    }
    const res = await search(match('west lake'), { highlight: { highlightParameters: [params] } })
    const b = fragments(res).b ?? []
    expect(b).toHaveLength(2)
    for (const f of b) expect(f.replaceAll(/<\/?b>/g, '').length).toBeLessThanOrEqual(36)
    // TEXT_SEQUENCE: the chosen fragments in the order they appear; the best (both terms) is among them.
    expect(b.some((f) => f.includes('<b>West</b> <b>Lake</b>'))).toBe(true)
    const byScore = await search(match('west lake'), {
      highlight: {
        highlightParameters: [{ ...params, fragmentsOrder: TableStore.HighlightFragmentOrder.SCORE }],
      },
    })
    expect(fragments(byScore).b?.[0]).toContain('<b>West</b> <b>Lake</b>')
    expect(b[1]).toContain('<b>West</b> <b>Lake</b>')
  })

  it('a phrase query tags only the words of the phrase where they stand together', async () => {
    const res = await search(
      { queryType: Q.MATCH_PHRASE_QUERY, query: { fieldName: 'body', text: 'west lake' } },
      { highlight: { highlightParameters: [{ fieldName: 'body', fragmentSize: 1000 }] } },
    )
    const b = fragments(res).b?.[0] ?? ''
    expect(b).toContain('a <em>West</em> <em>Lake</em> tour')
    expect(b).toContain('the lake is west')
  })

  it('returns no fragment for a field the query does not search', async () => {
    const res = await search(
      { queryType: Q.TERM_QUERY, query: { fieldName: 'tag', term: 'lake' } },
      { highlight: { highlightParameters: [{ fieldName: 'body' }] } },
    )
    expect(res.searchHits).toHaveLength(1)
    expect(res.searchHits[0]?.highlightResultItem?.highlightFields.size).toBe(0)
  })

  it('HTML_MODE escapes the text around the tags', async () => {
    const res = await search(match('bund'), {
      highlight: {
        highlightParameters: [{ fieldName: 'body' }],
        highlightEncoder: TableStore.HighlightEncoder.HTML_MODE,
      },
    })
    expect(fragments(res).c).toEqual([
      'Shanghai &lt;b&gt;<em>Bund</em>&lt;&#x2F;b&gt; &amp; &quot;harbour&quot;',
    ])
    const plain = await search(match('bund'), { highlight: { highlightParameters: [{ fieldName: 'body' }] } })
    expect(fragments(plain).c).toEqual(['Shanghai <b><em>Bund</em></b> & "harbour"'])
  })

  it('refuses a field without enable_highlighting, tags outside < > " \' / a-z A-Z 0-9, and highlighting on a KEYWORD field', async () => {
    await expectOtsError(
      search(match('west', 'plain'), { highlight: { highlightParameters: [{ fieldName: 'plain' }] } }),
      400,
      'OTSParameterInvalid',
    )
    await expectOtsError(
      search(match('west'), {
        highlight: { highlightParameters: [{ fieldName: 'body', preTag: '<em class=x>' }] },
      }),
      400,
      'OTSParameterInvalid',
    )
    await expectOtsError(
      h.client.createSearchIndex({
        tableName: 'hl',
        indexName: 'bad_idx',
        schema: {
          fieldSchemas: [{ fieldName: 'tag', fieldType: FieldType.KEYWORD, enableHighlighting: true }],
        },
      }),
      400,
      'OTSParameterInvalid',
    )
  })
})
