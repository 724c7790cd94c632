/**
 * @module redis-kit/streams
 * Append-only logs on Redis Streams: chat history, activity feeds, live tails, and consumer
 * groups with retries, a dead-letter stream and recovery of work left by dead consumers.
 */

export type { PayloadSchema } from '../internal/payload.js'
export type {
  ConsumeContext,
  ConsumeHandler,
  Consumer,
  ConsumerEvents,
  ConsumerStats,
} from './consumer.js'
export type { StreamItem } from './items.js'
export type { ConsumeOptions, StreamsOptions } from './options.js'
export {
  type AppendOptions,
  createStreams,
  type RangeOptions,
  type Streams,
  type StreamsStats,
} from './streams.js'
export type { TailOptions } from './tail.js'
