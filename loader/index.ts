/**
 * @module Where the TypeScript loader is, for code that starts Node on this project's sources:
 * `spawn(process.execPath, [...typescriptLoader, 'src/main.ts'])` (see `register.mjs`).
 */

/** `register.mjs` as a file URL: valid from any working directory. */
export const TYPESCRIPT_LOADER = new URL('./register.mjs', import.meta.url).href

/** The Node flags that load it. */
export const typescriptLoader: readonly string[] = ['--import', TYPESCRIPT_LOADER]
