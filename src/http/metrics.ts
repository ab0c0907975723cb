/** @module Prometheus metrics: request counts and latencies by route pattern, plus app gauges. */
import type { Context } from 'hono'
import { matchedRoutes } from 'hono/route'
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client'

/** Options for {@link createMetrics}. */
export interface MetricsOptions {
  /** Prefix of every metric name. @default 'imsearch_' */
  prefix?: string
  /**
   * Also export prom-client's process metrics (CPU, memory, event loop lag). Off by default so
   * that tests creating many apps do not start many collectors; `main` turns it on.
   * @default false
   */
  defaultMetrics?: boolean
  /**
   * Count and time requests. Off for the service side's registry when a worker thread serves HTTP:
   * that thread's registry counts them, and one exposition must not name a metric twice.
   * @default true
   */
  requests?: boolean
}

/** A labelled sample for {@link Metrics.registerGauge}. */
export interface GaugeSample {
  labels: Record<string, string>
  value: number
}

/** A gauge the app computes when scraped, e.g. an index's document count. */
export interface GaugeDefinition {
  /** Without the prefix, e.g. `'index_documents'`. */
  name: string
  help: string
  /** Label names used by the samples `collect` returns. @default [] */
  labelNames?: readonly string[]
  /** Called on every scrape: one number, or one sample per label set. */
  collect: () => number | readonly GaugeSample[] | Promise<number | readonly GaugeSample[]>
}

/**
 * The metrics of one app. Each instance owns its registry, rather than prom-client's global one,
 * so several apps in one process (tests) do not clash over metric names.
 */
export interface Metrics {
  readonly registry: Registry
  /**
   * Counts and times one answered request, started at `startMs` (`performance.now()`), by method,
   * route pattern and status; `createApp`'s outermost middleware calls it once per request.
   */
  observe(c: Context, startMs: number): void
  registerGauge(definition: GaugeDefinition): void
  /** The text exposition for `GET /metrics`. */
  render(): Promise<{ contentType: string; body: string }>
}

/** The label for requests that matched no route, so unknown paths cannot blow up label cardinality. */
export const UNMATCHED_ROUTE = 'unmatched'

/** The route pattern that handled the request (`/v1/users/:userId`), never the concrete path. */
function routeLabel(c: Context): string {
  // Middleware is registered with method ALL; the first route with a real method is the handler.
  const route = matchedRoutes(c).find((r) => r.method !== 'ALL')
  return route ? route.path : UNMATCHED_ROUTE
}

/** Creates the registry with the HTTP request metrics. */
export function createMetrics(options: MetricsOptions = {}): Metrics {
  const prefix = options.prefix ?? 'imsearch_'
  const registry = new Registry()
  if (options.defaultMetrics) collectDefaultMetrics({ register: registry, prefix })

  const labelNames = ['method', 'route', 'status'] as const
  const requestRegisters = options.requests === false ? [] : [registry]
  const durationName = `${prefix}http_request_duration_seconds`
  // Counted from the latency histogram's own counts when scraped, not incremented a request: the
  // two always moved together, so the values are the same, and a request hashes and validates its
  // labels in prom-client once instead of twice. (A `labels(...)` child would not spare that: in
  // prom-client 15 a child's `inc`/`observe` hashes the labels again on every call.)
  new Counter({
    name: `${prefix}http_requests_total`,
    help: 'HTTP requests by method, route pattern and status.',
    labelNames,
    registers: requestRegisters,
    async collect() {
      const { values } = await duration.get()
      this.reset()
      for (const sample of values) {
        if (sample.metricName === `${durationName}_count`) this.inc(sample.labels, sample.value)
      }
    },
  })
  const duration = new Histogram({
    name: durationName,
    help: 'HTTP request latency by method, route pattern and status, in seconds.',
    labelNames,
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: requestRegisters,
  })

  return {
    registry,
    observe(c, startMs) {
      const labels = { method: c.req.method, route: routeLabel(c), status: String(c.res.status) }
      duration.observe(labels, (performance.now() - startMs) / 1000)
    },
    registerGauge(definition) {
      new Gauge({
        name: prefix + definition.name,
        help: definition.help,
        labelNames: [...(definition.labelNames ?? [])],
        registers: [registry],
        async collect() {
          const result = await definition.collect()
          if (typeof result === 'number') {
            this.set(result)
            return
          }
          this.reset()
          for (const sample of result) this.set(sample.labels, sample.value)
        },
      })
    },
    async render() {
      return { contentType: registry.contentType, body: await registry.metrics() }
    },
  }
}
