/** Bounds a promise in time: rejects with TIMEOUT after `ms` (the work itself is not cancelled). */
import { RedisKitError } from '../errors.js'

export function withDeadline<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new RedisKitError('TIMEOUT', `${what} timed out after ${ms} ms (its outcome is unknown)`)),
      ms,
    )
  })
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer))
}
