/** The consumer of a group, as consume() returns it, and what its handler receives. */
import type { StreamItem } from './items.js'

export interface ConsumeContext {
  /** How many times the entry was delivered, this time included. */
  deliveries: number
  consumer: string
  /** Aborted when the consumer stops. */
  signal: AbortSignal
}

export type ConsumeHandler<T> = (item: StreamItem<T>, context: ConsumeContext) => unknown

export interface ConsumerStats {
  /** Entries handed to the handler (re-deliveries included). */
  delivered: number
  /** Handler runs that succeeded. */
  processed: number
  /** Acknowledgements Redis confirmed. */
  acked: number
  /** Handler runs that threw. */
  failed: number
  /** Failed entries delivered again (to the handler, or to the dead letters once over the limit). */
  retried: number
  /** Entries taken over from other consumers (idle for claimIdle). */
  claimed: number
  deadLettered: number
  /** Store errors (the consumer backed off and went on). */
  errors: number
  /** Handlers running now. */
  inFlight: number
}

export interface ConsumerEvents {
  /** A store error (the consumer keeps going, backing off). */
  error: [error: unknown]
  /** The handler succeeded and Redis confirmed the acknowledgement (the entry is no longer pending). */
  acked: [info: { id: string; deliveries: number }]
  failed: [info: { item: StreamItem; deliveries: number; error: unknown }]
  deadLetter: [info: { item: StreamItem; deliveries: number; error: unknown }]
  [event: string]: unknown[]
}

export interface Consumer {
  readonly name: string
  /** Settles when the consumer has stopped and its handlers have finished. */
  readonly done: Promise<void>
  stop(): Promise<void>
  stats(): ConsumerStats
  on<K extends keyof ConsumerEvents>(event: K, listener: (...args: ConsumerEvents[K]) => void): () => void
}

export interface WorkerSettings {
  key: string
  stream: string
  group: string
  name: string
  deadLetterKey: string | undefined
  concurrency: number
  claimIdleMs: number
  retryDelayMs: number
  maxDeliveries: number
  blockMs: number
  from: 'start' | 'now'
  appendDeadLetter(key: string, fields: Record<string, string>): Promise<unknown>
}
