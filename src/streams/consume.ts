/**
 * Consumer groups as work queues: `consume(stream, group, handler)`. Each entry goes to one
 * consumer of the group; the handler's success acknowledges it; a failure is retried (claimed
 * again by this consumer after a delay that doubles, which counts a delivery); an entry
 * delivered `maxDeliveries` times without success goes to a dead-letter stream. A sweeper
 * (XAUTOCLAIM) takes over entries left pending on consumers that died; the group is created
 * again when Redis lost it (NOGROUP, e.g. after a restart); stop() — or the AbortSignal — ends
 * the blocked read at once and waits for the handlers running.
 *
 * Delivery is at least once: an entry whose handler finished but whose acknowledgement was lost
 * (a crash in between) is delivered again. An entry is never acknowledged twice.
 */
import { isKitError } from '../errors.js'
import { Emitter } from '../internal/events.js'
import type { Store, StreamEntry, StreamGroupEntry } from '../stores/types.js'
import type { ConsumeHandler, Consumer, ConsumerEvents, ConsumerStats, WorkerSettings } from './consumer.js'
import { DATA_FIELD, toItem } from './items.js'
import { Sweeper } from './sweeper.js'
import { pause } from './tail.js'

export function startConsumer<T>(
  store: Store,
  s: WorkerSettings,
  handler: ConsumeHandler<T>,
  signal?: AbortSignal,
) {
  const events = new Emitter<ConsumerEvents>()
  const stats: Omit<ConsumerStats, 'inFlight'> = {
    delivered: 0,
    processed: 0,
    acked: 0,
    failed: 0,
    retried: 0,
    claimed: 0,
    deadLettered: 0,
    errors: 0,
  }
  const stopping = new AbortController()
  const running = new Set<Promise<void>>()
  const retries = new Set<NodeJS.Timeout>()
  let slotFreed: (() => void) | undefined
  const report = (err: unknown) => {
    stats.errors++
    events.emit('error', err)
  }

  async function ensureGroup(): Promise<void> {
    for (let backoff = 100; !stopping.signal.aborted; backoff = Math.min(backoff * 2, 2000)) {
      try {
        await store.xgroupCreate(s.key, s.group, s.from === 'start' ? '0' : '$', { mkstream: true })
        return
      } catch (err) {
        report(err)
        await pause(backoff, stopping.signal)
      }
    }
  }

  function dispatch(entry: StreamGroupEntry, deliveries: number, lastError?: unknown): void {
    if (stopping.signal.aborted) return
    if (entry.fields === null) {
      void ack(entry.id) // pending, but deleted from the stream since: nothing to do
      return
    }
    const full = entry as StreamEntry
    if (deliveries > s.maxDeliveries) {
      track(deadLetter(full, deliveries - 1, lastError))
      return
    }
    stats.delivered++
    const item = toItem<T>(full)
    track(
      (async () => {
        try {
          await handler(item, { deliveries, consumer: s.name, signal: stopping.signal })
          stats.processed++
          if (await ack(entry.id)) events.emit('acked', { id: entry.id, deliveries })
        } catch (error) {
          stats.failed++
          events.emit('failed', { item, deliveries, error })
          retryLater(full, deliveries, error)
        }
      })(),
    )
  }

  function track(work: Promise<void>): void {
    running.add(work)
    void work.finally(() => {
      running.delete(work)
      slotFreed?.()
    })
  }

  /** true when Redis confirmed it (0: someone else acknowledged it, or the group is gone). */
  async function ack(id: string): Promise<boolean> {
    try {
      if ((await store.xack(s.key, s.group, [id])) !== 1) return false
      stats.acked++
      return true
    } catch (err) {
      report(err) // still pending: delivered again later (at least once)
      return false
    }
  }

  /**
   * After a delay, claims the entry again for itself — unless another consumer took it meanwhile
   * (then it was delivered less than half the delay ago).
   */
  function retryLater(entry: StreamEntry, deliveries: number, error: unknown): void {
    const delay = Math.min(s.retryDelayMs * 2 ** (deliveries - 1), s.claimIdleMs)
    const timer = setTimeout(() => {
      retries.delete(timer)
      store.xclaim(s.key, s.group, s.name, Math.floor(delay / 2), [entry.id]).then((claimed) => {
        if (claimed[0]) {
          stats.retried++
          dispatch(claimed[0], deliveries + 1, error)
        }
      }, report)
    }, delay)
    timer.unref?.()
    retries.add(timer)
  }

  async function deadLetter(entry: StreamEntry, deliveries: number, error: unknown): Promise<void> {
    const item = toItem(entry)
    try {
      if (s.deadLetterKey) {
        await s.appendDeadLetter(s.deadLetterKey, {
          [DATA_FIELD]: entry.fields[DATA_FIELD] ?? JSON.stringify(entry.fields),
          stream: s.stream,
          id: entry.id,
          group: s.group,
          consumer: s.name,
          deliveries: String(deliveries),
          error: error instanceof Error ? error.message : String(error ?? 'unknown'),
        })
      }
      await store.xack(s.key, s.group, [entry.id])
      stats.deadLettered++
      events.emit('deadLetter', { item, deliveries, error })
    } catch (err) {
      report(err) // still pending: dead-lettered on a later delivery
    }
  }

  async function freeSlot(): Promise<void> {
    while (running.size >= s.concurrency && !stopping.signal.aborted) {
      await new Promise<void>((resolve) => {
        const done = () => {
          stopping.signal.removeEventListener('abort', done)
          slotFreed = undefined
          resolve()
        }
        slotFreed = done
        stopping.signal.addEventListener('abort', done, { once: true })
      })
    }
  }

  const sweeper = new Sweeper(store, s, {
    free: () => s.concurrency - running.size,
    dispatch,
    onClaimed: (n) => void (stats.claimed += n),
    onNoGroup: ensureGroup,
    onError: report,
  })

  async function loop(): Promise<void> {
    await ensureGroup()
    await sweeper.recoverOwn(freeSlot)
    sweeper.start()
    for (let backoff = 100; !stopping.signal.aborted; ) {
      await freeSlot()
      if (stopping.signal.aborted) break
      try {
        const read = await store.xreadgroup(s.group, s.name, [[s.key, '>']], {
          count: s.concurrency - running.size,
          block: s.blockMs,
          signal: stopping.signal,
        })
        backoff = 100
        for (const entry of read?.[0]?.entries ?? []) dispatch(entry, 1)
      } catch (err) {
        if (stopping.signal.aborted) break
        if (isKitError(err, 'NOGROUP')) await ensureGroup()
        else {
          report(err)
          await pause(backoff, stopping.signal)
          backoff = Math.min(backoff * 2, 2000)
        }
      }
    }
  }

  const stop = async () => {
    stopping.abort()
    sweeper.stop()
    for (const timer of retries) clearTimeout(timer)
    retries.clear()
    await done
  }
  const done = loop()
    .catch(report)
    .then(async () => {
      while (running.size > 0) await Promise.allSettled([...running])
    })
  signal?.addEventListener('abort', () => void stop(), { once: true })
  if (signal?.aborted) void stop()
  const consumer: Consumer = {
    name: s.name,
    done,
    stop,
    stats: () => ({ ...stats, inFlight: running.size }),
    on: (event, listener) => events.on(event, listener as never),
  }
  return consumer
}
