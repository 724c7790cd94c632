/**
 * ioredis's `commandTimeout` without a timer per command, for the connections RedisStore times
 * out itself (standalone). ioredis sets and clears a timer for every command: about 1 µs of this
 * process's time per call, and about 11% of a store's throughput with 200 calls in flight.
 *
 * Every deadline is the send time plus the same duration, so deadlines come in the order the
 * commands were sent: the queue keeps that order and only its head can be due. One timer, armed
 * for the head's deadline, fails what is due as ioredis's own timeout does (the command is
 * rejected with 'Command timed out' and left in ioredis's queue, so later replies still match
 * their commands). Replies come in the order of the commands, so settled commands leave from
 * the front as their replies arrive (`release`): the queue holds about what is in flight.
 *
 * Unlike internal/deadlines.ts, which bounds any promise by wrapping it (a promise and an entry
 * per call), this needs the ioredis Command itself and allocates nothing per call. Like it, a
 * due command is failed on setImmediate, after the poll phase: a reply that arrived while this
 * process stalled (GC, a busy CPU) is read first and wins.
 */

/** The part of an ioredis Command the queue uses. */
export interface Deadlined {
  readonly isSettled: boolean
  reject(error: Error): void
}

/** What a released slot holds: a command is let go at once, not kept until the arrays shift. */
const GONE: Deadlined = { isSettled: true, reject: () => {} }

/** Settled commands at the front before the arrays are shifted (a reply out of order holds them). */
const COMPACT_AT = 1024

export class CommandDeadlines {
  readonly #ms: number
  #commands: Deadlined[] = []
  #due: number[] = []
  #head = 0
  #timer: ReturnType<typeof setTimeout> | undefined

  constructor(ms: number) {
    this.#ms = ms
  }

  /** Starts the deadline of a command just sent. */
  track(command: Deadlined): void {
    this.#commands.push(command)
    this.#due.push(performance.now() + this.#ms)
    if (this.#timer === undefined) this.#arm(this.#ms)
  }

  /** Drops settled commands from the front (call when a reply has arrived). */
  release(): void {
    const commands = this.#commands
    let head = this.#head
    while (head < commands.length && commands[head]!.isSettled) commands[head++] = GONE
    if (head === commands.length) {
      this.#clear()
    } else if (head >= COMPACT_AT && head * 2 >= commands.length) {
      this.#commands = commands.slice(head)
      this.#due = this.#due.slice(head)
      this.#head = 0
    } else this.#head = head
  }

  /** Stops the timer (the connection has ended, and its commands with it). */
  stop(): void {
    clearTimeout(this.#timer)
    this.#timer = undefined
  }

  /** Commands tracked and not yet released (settled ones behind an unsettled one included). */
  get size(): number {
    return this.#commands.length - this.#head
  }

  #arm(ms: number): void {
    // unref: a pending command keeps the process alive through its socket, not through this timer
    this.#timer = setTimeout(this.#sweep, Math.max(1, Math.ceil(ms)))
    this.#timer.unref?.()
  }

  readonly #sweep = (): void => {
    this.#timer = undefined
    const now = performance.now()
    const commands = this.#commands
    let head = this.#head
    let late: Deadlined[] | undefined
    for (; head < commands.length; head++) {
      const command = commands[head]!
      if (!command.isSettled) {
        if (this.#due[head]! > now) break
        late ??= []
        late.push(command)
      }
      commands[head] = GONE
    }
    if (head === commands.length) this.#clear()
    else {
      this.#head = head
      this.#arm(this.#due[head]! - now)
    }
    if (late) setImmediate(fail, late)
  }

  #clear(): void {
    this.#commands.length = 0
    this.#due.length = 0
    this.#head = 0
  }
}

function fail(late: Deadlined[]): void {
  for (const command of late) {
    if (!command.isSettled) command.reject(new Error('Command timed out'))
  }
}
