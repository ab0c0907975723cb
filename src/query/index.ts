/** @module The backend-neutral query model. */
export * from './dsl.ts'
export * from './index-schemas.ts'
export * from './sort.ts'
export * from './validate.ts'
