/**
 * @module A check on arrays whose passing verdict is remembered for frozen ones, which cannot
 * change. The LMDB store hands out one frozen array per distinct recipient list, shared by every
 * message that names it, so at start-up such a list is checked once instead of once per message
 * (at 1M messages the per-message checks were a tenth of the start-up).
 */
export function onceForFrozen<T extends readonly unknown[]>(
  check: (values: T) => boolean,
): (values: T) => boolean {
  const passed = new WeakSet<T>()
  return (values) => {
    if (passed.has(values)) return true
    const ok = check(values)
    if (ok && Object.isFrozen(values)) passed.add(values)
    return ok
  }
}
