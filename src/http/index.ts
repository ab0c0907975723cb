/** @module The HTTP layer's public surface, for `main.ts` and the resource route modules. */
export { API_PREFIX, type AppDeps, createApp, MAX_BODY_BYTES } from './app.ts'
export {
  type AuthVerifierOptions,
  authorized,
  BEARER_SCHEME,
  bearerToken,
  createAuthVerifier,
  requireScope,
} from './auth.ts'
export type { AppEnv, AppVariables, AuthEnv, AuthVerifier, Caller, RateLimiter, Scope } from './context.ts'
export { SCOPES } from './context.ts'
export { DEV_USER, devTokenBanner, type SignTokenOptions, signToken, withDevSecret } from './dev-tokens.ts'
export { type ErrorMapper, toProblemError } from './error-handler.ts'
export {
  createMetrics,
  type GaugeDefinition,
  type GaugeSample,
  type Metrics,
  type MetricsOptions,
} from './metrics.ts'
export {
  type FieldError,
  PROBLEM_BASE_URI,
  PROBLEM_CONTENT_TYPE,
  type ProblemDocument,
  ProblemError,
  type ProblemInit,
  ProblemSchema,
  problemFromZod,
  problemResponses,
} from './problem.ts'
export { createRateLimiter, type RateLimiterOptions } from './rate-limit.ts'
export { type AppRouteHandler, type AppRouter, createRouter, jsonBody, validationHook } from './router.ts'
export { type RunningServer, type ServeOptions, serve } from './server.ts'
