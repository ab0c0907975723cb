/**
 * @module The console's static files, read once from `assets/` beside this module and served from
 * memory: every byte the page needs comes from the service itself, so it works offline.
 */
import { readFileSync } from 'node:fs'

/** The URL prefix of the console's files. */
export const ASSET_PREFIX = '/console/assets/'

const TYPES: Record<string, string> = {
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
}

/** The files, by name; a build that copies `src/` to `dist/` must copy `assets/` along. */
const NAMES = [
  'console.css',
  'console.js',
  'api.js',
  'i18n.js',
  'highlight.js',
  'search-view.js',
  'history-view.js',
  'discovery-view.js',
  'admin-view.js',
] as const

/** A file ready to send. */
export interface Asset {
  body: string
  contentType: string
}

/** Reads every asset now, so a missing file fails at start-up rather than on a visitor's request. */
export function loadAssets(): ReadonlyMap<string, Asset> {
  const assets = new Map<string, Asset>()
  for (const name of NAMES) {
    const body = readFileSync(new URL(`./assets/${name}`, import.meta.url), 'utf8')
    const contentType = TYPES[name.slice(name.lastIndexOf('.') + 1)] ?? 'application/octet-stream'
    assets.set(name, { body, contentType })
  }
  return assets
}
