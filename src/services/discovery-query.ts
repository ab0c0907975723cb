/**
 * @module The DSL for people and group discovery: fuzzy names, weighted tags and geo, shared by
 * user search, group search and the caller's contacts.
 *
 * Name ranking, by constant scores that never overlap between tiers: an exact name (16, plus the
 * prefix and substring clauses it also satisfies), a prefix of the name (8 + 4), a substring (4),
 * then typo or pinyin matches (2). A contact adds 1, so among equally good matches contacts come
 * first and never outrank a better match.
 */

import type { GeoPoint } from '../domain/geo-point.ts'
import { normalizeTagName } from '../domain/tag.ts'
import type { Query } from '../query/dsl.ts'
import { tokenize } from '../text/analyzer.ts'
import { compactName, normalizeName } from '../text/name-forms.ts'
import { deletionNeighbourhood } from '../text/typo.ts'

export const NAME_SCORES = { exact: 16, prefix: 8, substring: 4, fuzzy: 2, contact: 1 } as const

/** Field families that carry name forms: `name` (users, groups, contacts) and `nickname` (contacts). */
export type NameField = 'name' | 'nickname'

/** A query that matches names by the fuzzy rules, or undefined when `q` has nothing to match. */
export function nameQuery(q: string, field: NameField = 'name'): Query | undefined {
  const normalized = normalizeName(q)
  const compact = compactName(q)
  if (compact.length === 0) return undefined
  const should: Query[] = [
    {
      constant_score: {
        filter: { term: { field: `${field}Normalized`, value: normalized } },
        boost: NAME_SCORES.exact,
      },
    },
    {
      constant_score: {
        filter: { prefix: { field: `${field}Normalized`, value: normalized } },
        boost: NAME_SCORES.prefix,
      },
    },
    {
      constant_score: {
        filter: { match_phrase: { field: `${field}Compact`, query: compact } },
        boost: NAME_SCORES.substring,
      },
    },
  ]
  // Pinyin: full or initials, by prefix, spaces ignored (`zhang wei` = `zhangwei`).
  if (/^[a-z]+$/.test(compact))
    should.push({
      constant_score: {
        filter: { prefix: { field: `${field}Pinyin`, value: compact } },
        boost: NAME_SCORES.fuzzy,
      },
    })
  const typo = typoQuery(normalized, field)
  if (typo) should.push({ constant_score: { filter: typo, boost: NAME_SCORES.fuzzy } })
  return { bool: { should, minimum_should_match: 1 } }
}

/** Every query word matches a name word, long Latin words with one typo allowed. */
function typoQuery(normalized: string, field: NameField): Query | undefined {
  const words = tokenize(normalized)
  if (!words.some((w) => deletionNeighbourhood(w).length > 0)) return undefined
  const must = words.map((word): Query => {
    const keys = deletionNeighbourhood(word)
    return keys.length > 0
      ? { terms: { field: `${field}Deletes`, values: keys } }
      : { term: { field: `${field}Words`, value: word } }
  })
  return { bool: { must } }
}

/** Normalised, deduplicated tag names. */
export function tagNames(tags: readonly string[]): string[] {
  return [...new Set(tags.map(normalizeTagName).filter((t) => t.length > 0))]
}

/** Scores the sum of the matched tags' weights; with `all`, every tag is required. */
export function tagQuery(tags: readonly string[], mode: 'any' | 'all'): { must: Query; filter: Query[] } {
  const must: Query = {
    nested: {
      path: 'tags',
      score_mode: 'sum',
      query: {
        function_score: {
          query: { terms: { field: 'tags.name', values: [...tags] } },
          field_value_factor: { field: 'tags.weight' },
        },
      },
    },
  }
  const filter: Query[] =
    mode === 'all'
      ? tags.map((tag) => ({
          nested: { path: 'tags', score_mode: 'none', query: { term: { field: 'tags.name', value: tag } } },
        }))
      : []
  return { must, filter }
}

export type GeoArea =
  | { kind: 'radius'; center: GeoPoint; metres: number }
  | { kind: 'polygon'; points: GeoPoint[] }
  | { kind: 'box'; north: number; west: number; south: number; east: number }

export function geoFilter(area: GeoArea): Query {
  switch (area.kind) {
    case 'radius':
      return { geo_distance: { field: 'location', center: area.center, distance: area.metres } }
    case 'polygon':
      return { geo_polygon: { field: 'location', points: area.points } }
    case 'box':
      return {
        geo_bounding_box: {
          field: 'location',
          top_left: { lat: area.north, lon: area.west },
          bottom_right: { lat: area.south, lon: area.east },
        },
      }
  }
}
