/**
 * `node --import ./loader/register.mjs file.ts`: runs this project's TypeScript from source, as
 * `npm start`, the bench, the command-line tools and the tests' child processes do (the compiled
 * build, `npm run start:prod`, needs none of it). The hooks (`hooks.mjs`) run in Node's loader
 * thread; stack traces point into the `.ts` sources through the inline source maps.
 */
import { register } from 'node:module'

process.setSourceMapsEnabled(true)
register('./hooks.mjs', import.meta.url)
