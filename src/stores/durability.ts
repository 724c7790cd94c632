/**
 * Durability of writes during a Redis outage. By default every write a FailoverStore serves
 * from its fallback is journaled and replayed to Redis on recovery. Writes made inside
 * `ephemeral(() => …)` are not: cache values and leases, which must never overwrite Redis
 * with what memory held. The flag is read synchronously when the store method is called.
 */

let depth = 0

/**
 * Runs `fn` with every store call it makes synchronously marked ephemeral (not journaled).
 * @example ephemeral(() => store.set(key, value, { px: ttl }))
 */
export function ephemeral<T>(fn: () => T): T {
  depth++
  try {
    return fn()
  } finally {
    depth--
  }
}

/** True while inside `ephemeral()`. */
export function isEphemeral(): boolean {
  return depth > 0
}
