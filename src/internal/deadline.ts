/** Bounds a promise in time: rejects with TIMEOUT after `ms` (the work itself is not cancelled). */
import { RedisKitError } from '../errors.js'

export function withDeadline<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  // one promise and one timer per call: this sits on every call a FailoverStore makes
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new RedisKitError('TIMEOUT', `${what} timed out after ${ms} ms (its outcome is unknown)`)),
      ms,
    )
    promise.then(
      (value) => {
        clearTimeout(timer)
        resolve(value)
      },
      (err: unknown) => {
        clearTimeout(timer)
        reject(err)
      },
    )
  })
}
