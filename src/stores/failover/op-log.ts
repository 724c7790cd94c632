/**
 * Client side of the op logs that make counting writes exactly-once: which log key a write
 * uses (one per cluster slot, in the slot of the written key), fresh op ids, and the ids of
 * acknowledged writes waiting to be removed from their log by the next guarded write there.
 */
import { randomBytes } from 'node:crypto'
import { keyInSlotOf } from '../../internal/slot-tags.js'

const MAX_ACKS_PER_CALL = 32
const MAX_PENDING_ACKS = 256

export class OpLog {
  readonly #suffix: string
  readonly #acks = new Map<string, string[]>()
  readonly retentionMs: number
  readonly #prefix = randomBytes(6).toString('base64url')
  #counter = 0

  constructor(key: string, retentionMs: number) {
    this.#suffix = `:${key}`
    this.retentionMs = retentionMs
  }

  /** A process-unique, never reused op id. */
  newId(): string {
    return `${this.#prefix}.${(this.#counter++).toString(36)}`
  }

  /** The op log for writes to `key` (same cluster slot). */
  keyFor(key: string): string {
    return keyInSlotOf(key, this.#suffix)
  }

  /** Takes up to 32 acknowledged ids of `logKey` to remove in the next guarded call. */
  takeAcks(logKey: string): string[] {
    const pending = this.#acks.get(logKey)
    if (!pending) return []
    const taken = pending.splice(0, MAX_ACKS_PER_CALL)
    if (pending.length === 0) this.#acks.delete(logKey)
    return taken
  }

  /** Returns ids taken for a call that failed, so a later call removes them. */
  putBack(logKey: string, ids: string[]): void {
    for (const id of ids) this.ack(logKey, id)
  }

  /** Records that the write of `id` is known to have happened: its log entry can go. */
  ack(logKey: string, id: string): void {
    let pending = this.#acks.get(logKey)
    if (!pending) this.#acks.set(logKey, (pending = []))
    pending.push(id)
    // a slot with no further guarded writes leaves its last ids to the log's retention trim
    if (pending.length > MAX_PENDING_ACKS) pending.shift()
  }

  /** ARGV prefix of a guarded call: [opId, retentionMs, ackCount, ...acks]. */
  argv(id: string, acks: string[]): (string | number)[] {
    return [id, this.retentionMs, acks.length, ...acks]
  }
}
