/** @module Every resource router, for `createApp({ routes })`. */
import type { ServiceCalls } from '../../services/index.ts'
import type { AppRouter } from '../router.ts'
import { adminRoutes } from './admin.routes.ts'
import { groupRoutes } from './groups.routes.ts'
import { meRoutes } from './me.routes.ts'
import { messageRoutes } from './messages.routes.ts'
import { searchRoutes } from './search.routes.ts'
import { userRoutes } from './users.routes.ts'

/** A tuple typed by each router (not `AppRouter[]`), so the typed client (`src/client`) sees every route. */
export function resourceRoutes(services: ServiceCalls) {
  return [
    userRoutes(services),
    groupRoutes(services),
    messageRoutes(services),
    searchRoutes(services),
    meRoutes(services),
    adminRoutes(services),
  ] as const satisfies readonly AppRouter[]
}
