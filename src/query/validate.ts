/**
 * @module Checks a query and its sort against an index's schema, so that every backend receives
 * only queries it can answer, and a client learns which part of its query is wrong.
 */
import { type Query, queryKind } from './dsl.ts'
import { type FieldType, fieldSchema, type IndexName } from './index-schemas.ts'
import type { Sort } from './sort.ts'

export interface QueryIssue {
  path: string
  message: string
}

/** Deeper trees than this are not queries a person writes; they are attacks on the stack. */
export const MAX_QUERY_DEPTH = 16
/** Tablestore answers at most 1,024 sub-queries per request; every backend keeps the same cap. */
export const MAX_QUERY_NODES = 1024

/** Which field types each leaf accepts. */
const ACCEPTS: Partial<Record<ReturnType<typeof queryKind>, readonly FieldType[]>> = {
  match: ['text', 'fuzzy'],
  match_phrase: ['text', 'fuzzy'],
  term: ['keyword', 'long', 'double', 'boolean'],
  terms: ['keyword', 'long', 'double', 'boolean'],
  prefix: ['keyword'],
  range: ['long', 'double'],
  exists: ['keyword', 'text', 'fuzzy', 'long', 'double', 'boolean', 'geo_point', 'nested'],
  geo_distance: ['geo_point'],
  geo_bounding_box: ['geo_point'],
  geo_polygon: ['geo_point'],
}

export function validateQuery(index: IndexName, query: Query): QueryIssue[] {
  const issues: QueryIssue[] = []
  let nodes = 0
  const visit = (q: Query, path: string, depth: number, nestedPath: string | undefined): void => {
    nodes++
    if (nodes === MAX_QUERY_NODES + 1)
      issues.push({ path, message: `a query has at most ${MAX_QUERY_NODES} nodes` })
    if (depth > MAX_QUERY_DEPTH) {
      issues.push({ path, message: `a query nests at most ${MAX_QUERY_DEPTH} levels` })
      return
    }
    const kind = queryKind(q)
    const at = `${path}.${kind}`
    if ('bool' in q) {
      for (const key of ['must', 'filter', 'should', 'must_not'] as const) {
        q.bool[key]?.forEach((clause, i) => {
          visit(clause, `${at}.${key}[${i}]`, depth + 1, nestedPath)
        })
      }
      return
    }
    if ('constant_score' in q) {
      visit(q.constant_score.filter, `${at}.filter`, depth + 1, nestedPath)
      return
    }
    if ('function_score' in q) {
      checkField(
        q.function_score.field_value_factor.field,
        ['long', 'double'],
        `${at}.field_value_factor.field`,
        nestedPath,
      )
      visit(q.function_score.query, `${at}.query`, depth + 1, nestedPath)
      return
    }
    if ('nested' in q) {
      const schema = fieldSchema(index, q.nested.path)
      if (schema?.type !== 'nested')
        issues.push({ path: `${at}.path`, message: `${q.nested.path} is not a nested field` })
      else if (nestedPath) issues.push({ path: `${at}.path`, message: 'nested queries do not nest' })
      else visit(q.nested.query, `${at}.query`, depth + 1, q.nested.path)
      return
    }
    if ('match_all' in q) return
    const field = (Object.values(q)[0] as { field: string }).field
    checkField(field, ACCEPTS[kind] ?? [], `${at}.field`, nestedPath)
    if ('range' in q) {
      const r = q.range
      if (r.gt === undefined && r.gte === undefined && r.lt === undefined && r.lte === undefined)
        issues.push({ path: at, message: 'a range needs at least one bound' })
    }
  }
  const checkField = (
    field: string,
    accepted: readonly FieldType[],
    path: string,
    nestedPath?: string,
  ): void => {
    // A nested object's fields exist only inside a `nested` query on its path, and only they do.
    const owner = field.includes('.') ? field.slice(0, field.indexOf('.')) : undefined
    if (owner !== nestedPath) {
      const message = nestedPath
        ? `inside nested ${nestedPath}, name ${nestedPath}.<field>`
        : `${field} is only queried inside nested ${owner}`
      issues.push({ path, message })
      return
    }
    const schema = fieldSchema(index, field)
    if (!schema) {
      issues.push({ path, message: `the ${index} index has no field ${field}` })
      return
    }
    if (!accepted.includes(schema.type)) issues.push({ path, message: `${field} is a ${schema.type} field` })
  }
  visit(query, 'query', 0, undefined)
  return issues
}

const SORTABLE: readonly FieldType[] = ['keyword', 'long', 'double', 'boolean']

export function validateSort(index: IndexName, sort: readonly Sort[]): QueryIssue[] {
  const issues: QueryIssue[] = []
  sort.forEach((key, i) => {
    const path = `sort[${i}]`
    if ('field' in key) {
      const schema = fieldSchema(index, key.field.name)
      if (!schema || !SORTABLE.includes(schema.type) || schema.array || key.field.name.includes('.'))
        issues.push({ path, message: `${key.field.name} is not a sortable field of ${index}` })
    } else if ('geo_distance' in key) {
      if (fieldSchema(index, key.geo_distance.field)?.type !== 'geo_point')
        issues.push({ path, message: `${key.geo_distance.field} is not a geo_point field of ${index}` })
    }
  })
  return issues
}
