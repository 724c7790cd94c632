/**
 * A small circuit breaker. `closed`: calls go to the primary. After `threshold` consecutive
 * failures it opens: calls go straight to the fallback and nothing waits on the primary.
 * `recovering`: a probe succeeded and the journal is being replayed; calls still go to the
 * fallback. It closes only when the replay has completed.
 */
export type CircuitState = 'closed' | 'open' | 'recovering'

export class CircuitBreaker {
  state: CircuitState = 'closed'
  consecutiveFailures = 0
  openedAt = 0
  readonly #threshold: number

  constructor(threshold: number) {
    this.#threshold = threshold
  }

  get isClosed(): boolean {
    return this.state === 'closed'
  }

  success(): void {
    if (this.state === 'closed') this.consecutiveFailures = 0
  }

  /** Records a failure; true when this failure opened the circuit. */
  failure(): boolean {
    this.consecutiveFailures++
    if (this.state !== 'closed' || this.consecutiveFailures < this.#threshold) return false
    this.state = 'open'
    this.openedAt = Date.now()
    return true
  }

  /** Opens at once (a failure during recovery). */
  reopen(): void {
    this.state = 'open'
  }

  recovering(): void {
    this.state = 'recovering'
  }

  close(): void {
    this.state = 'closed'
    this.consecutiveFailures = 0
  }
}
