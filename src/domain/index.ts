/** @module The domain: record kinds after the seeds' tables. */
export * from './contact.ts'
export * from './geo-point.ts'
export * from './group.ts'
export * from './ids.ts'
export * from './message.ts'
export * from './tag.ts'
export * from './user.ts'
