/** Options and events of createPubSub. */
import { z } from 'zod'
import { isSchema, type PayloadSchema } from '../internal/payload.js'
import { prefixSchema } from '../internal/primitive.js'
import type { SubscriptionGap } from '../stores/types.js'

export interface PubSubOptions {
  /** Prefix of every channel: `<prefix>pubsub:<channel>`. @default 'kit:' (as createKit) */
  prefix?: string
  /**
   * zod schemas by channel: the key is a channel name, or its first part (`chat` applies to
   * `chat:42`). Publishing checks the payload; received messages that do not match are dropped
   * (counted, and reported by the `invalid` event).
   */
  schemas?: Record<string, PayloadSchema>
}

export const pubsubOptionsSchema = z
  .object({
    prefix: prefixSchema(),
    schemas: z
      .record(
        z.string(),
        z.custom<PayloadSchema>(isSchema, { message: 'must be a zod schema (anything with safeParse)' }),
      )
      .default({}),
  })
  .strict()

export interface PubSubEvents {
  /** Subscriptions were restored after a disconnect: messages published in between were missed. */
  gap: [gap: SubscriptionGap & { channels: string[] }]
  /** A message that did not match its channel's schema was dropped. */
  invalid: [info: { channel: string; payload: unknown }]
  /** A handler threw (the other handlers still got the message). */
  error: [error: unknown]
  [event: string]: unknown[]
}
