/**
 * @module redis-kit/pubsub
 * Live messages across processes: one subscriber connection per process fanned out locally,
 * typed channel families, and a `gap` event when messages may have been missed.
 */
export type { ChannelMessage, ChannelParams, TypedChannel } from './channel.js'
export type { PubSubEvents, PubSubOptions } from './options.js'
export {
  createPubSub,
  type Message,
  type PubSub,
  type PubSubStats,
  type SubscribeOptions,
} from './pubsub.js'
