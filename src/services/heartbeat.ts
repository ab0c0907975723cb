/**
 * @module A heartbeat: runs a task every `everyMs` while something is alive, one run at a time
 * (the next one is scheduled when the previous one has finished, so slow saves never pile up).
 */

/**
 * Starts the loop; the returned function stops it and resolves once a run under way has finished,
 * so that nothing the task writes can land after what the caller writes next. A failing run is
 * ignored: the next one tries again.
 */
export function startHeartbeat(everyMs: number, task: () => Promise<void>): () => Promise<void> {
  let stopped = false
  let timer: NodeJS.Timeout | undefined
  let current: Promise<void> = Promise.resolve()
  const schedule = () => {
    // Unref'd: a heartbeat alone must not keep a process alive.
    timer = setTimeout(run, everyMs).unref()
  }
  const run = () => {
    current = task()
      .catch(() => {})
      .then(() => {
        if (!stopped) schedule()
      })
  }
  schedule()
  return async () => {
    stopped = true
    clearTimeout(timer)
    await current
  }
}
