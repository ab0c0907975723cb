/**
 * Node module hooks: a `.ts` module of this project is compiled by esbuild (types stripped, one
 * file at a time, as `isolatedModules` allows) and run as an ES module.
 *
 * Why not tsx, which did this before: tsx always turns on esbuild's `keepNames`, which wraps every
 * function made at run time in `__name(fn, "name")`, an `Object.defineProperty` call a closure. The
 * engine makes its query plans of closures, per search: searches cost about 14% more CPU than in
 * the `tsc` build production runs (`bench/profile/compiled-vs-sources.ts`). Without renaming
 * (no minifying, no bundling) esbuild leaves every name as written, so `keepNames` buys nothing.
 */
import { readFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { transform } from 'esbuild'

/** The settings of tsconfig.json that change what the emitted JavaScript does. */
const tsconfigRaw = { compilerOptions: { verbatimModuleSyntax: true, useDefineForClassFields: true } }

export async function load(url, context, nextLoad) {
  if (!url.startsWith('file:') || !url.endsWith('.ts') || url.includes('/node_modules/'))
    return nextLoad(url, context)
  const path = fileURLToPath(url)
  const { code } = await transform(await readFile(path, 'utf8'), {
    loader: 'ts',
    format: 'esm',
    target: `node${process.versions.node}`,
    // The map without the source's text: stack traces need only its positions, and the compiled
    // module's text, map included, stays in the heap for as long as the module does.
    sourcemap: 'inline',
    sourcesContent: false,
    sourcefile: path,
    tsconfigRaw,
  })
  return { format: 'module', source: code, shortCircuit: true }
}
