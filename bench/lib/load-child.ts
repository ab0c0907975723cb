/**
 * @module The load generator, in its own process so it does not share the server's event loop:
 * receives an autocannon configuration over IPC, answers with the summary, exits.
 */
import autocannon from 'autocannon'

export interface LoadRequest {
  method: 'GET' | 'POST'
  path: string
  headers: Record<string, string>
}

export interface LoadConfig {
  url: string
  connections: number
  durationSeconds: number
  requests: LoadRequest[]
}

export interface LoadSummary {
  requests: number
  durationSeconds: number
  requestsPerSecond: number
  latencyMs: { p50: number; p90: number; p99: number; max: number; mean: number }
  errors: number
  timeouts: number
  non2xx: number
}

process.once('message', (message) => {
  const config = message as LoadConfig
  autocannon(
    {
      url: config.url,
      connections: config.connections,
      duration: config.durationSeconds,
      requests: config.requests,
    },
    (error, result) => {
      if (error || !result) {
        process.send?.({ error: String(error) }, () => process.exit(1))
        return
      }
      const summary: LoadSummary = {
        requests: result.requests.total,
        durationSeconds: result.duration,
        requestsPerSecond: Math.round(result.requests.total / result.duration),
        latencyMs: {
          p50: result.latency.p50,
          p90: result.latency.p90,
          p99: result.latency.p99,
          max: result.latency.max,
          mean: result.latency.average,
        },
        errors: result.errors,
        timeouts: result.timeouts,
        non2xx: result.non2xx,
      }
      process.send?.({ summary }, () => process.exit(0))
    },
  )
})
