/**
 * @module better-sqlite3, loaded from `bench/competitors/sqlite/node_modules` when it is installed
 * (`npm --prefix bench/competitors/sqlite ci`, built from source: see bench/README.md), so the
 * service's `npm ci` never compiles a native module it does not need. The types are the few
 * members the bench calls, written here: the typecheck passes on a clone where the peer is not
 * installed, and nothing of `@types/better-sqlite3` is needed.
 */
import { createRequire } from 'node:module'

export interface SqliteStatement {
  run(...params: unknown[]): { changes: number }
  get(...params: unknown[]): unknown
  /** With `pluck`, each row is its first column. */
  all(...params: unknown[]): unknown[]
  /** Rows as their first column's value. */
  pluck(toggle?: boolean): SqliteStatement
}

export interface SqliteDatabase {
  exec(sql: string): SqliteDatabase
  prepare(sql: string): SqliteStatement
  /** With `{ simple: true }`, the first column of the first row. */
  pragma(source: string, options?: { simple?: boolean }): unknown
  close(): void
}

export type SqliteOpen = new (filename: string) => SqliteDatabase

const PEER = new URL('./sqlite/package.json', import.meta.url)
export const INSTALL_HINT = 'npm --prefix bench/competitors/sqlite ci --build-from-source'

/** The driver's constructor, or why it cannot be had (not installed, or built for another Node). */
export function loadSqlite(): { open: SqliteOpen; version: string } | { unavailable: string } {
  const require = createRequire(PEER)
  try {
    const open = require('better-sqlite3') as SqliteOpen
    const { version } = require('better-sqlite3/package.json') as { version: string }
    // The native part loads at the first open: a build for another Node version fails here.
    new open(':memory:').close()
    return { open, version }
  } catch (error) {
    const code = (error as { code?: unknown }).code
    if (code === 'MODULE_NOT_FOUND')
      return { unavailable: `better-sqlite3 is not installed (the bench-only peer): ${INSTALL_HINT}` }
    const message = error instanceof Error ? error.message.split('\n')[0] : String(error)
    return { unavailable: `better-sqlite3 did not load (${message}); rebuild it: ${INSTALL_HINT}` }
  }
}
