/**
 * Typed channel families: `pubsub.channel('chat:{id}', schema)` names channels from parameters,
 * checks payloads against the schema on publish and on receipt, and subscribes to one channel
 * (`{ id: '42' }`) or, leaving parameters out, to all of them at once (a pattern, with the
 * literal parts escaped) — handlers get the parameters back.
 */
import { invalidArgument } from '../errors.js'
import { escapeGlob } from '../internal/keys.js'
import type { PayloadSchema } from '../internal/payload.js'
import type { SubscriptionGap, Unsubscribe } from '../stores/types.js'
import type { Message } from './topics.js'

/** The parameter names of a template: `'chat:{room}:{user}'` → `'room' | 'user'`. */
export type ChannelParams<S extends string> = S extends `${string}{${infer P}}${infer Rest}`
  ? P | ChannelParams<Rest>
  : never

export interface ChannelMessage<S extends string> extends Message {
  params: Record<ChannelParams<S>, string>
}

export interface TypedChannel<T, S extends string> {
  readonly template: S
  /** The channel of these parameters. */
  name(params: Record<ChannelParams<S>, string>): string
  publish(params: Record<ChannelParams<S>, string>, payload: T): Promise<number>
  /** One channel, or every channel of the family matching the parameters given. */
  subscribe(
    params: Partial<Record<ChannelParams<S>, string>>,
    handler: (payload: T, message: ChannelMessage<S>) => void,
    options?: { onGap?: (gap: SubscriptionGap) => void },
  ): Promise<Unsubscribe>
}

interface Host {
  publish(channel: string, payload: unknown): Promise<number>
  subscribe(
    name: string,
    handler: (payload: unknown, message: Message) => void,
    options?: { pattern?: boolean; onGap?: (gap: SubscriptionGap) => void },
  ): Promise<Unsubscribe>
  /** A received payload failed the schema (dropped). */
  invalid(channel: string, payload: unknown): void
}

const PARAM = /\{([^{}]+)\}/g

export function createChannel<T, S extends string>(
  host: Host,
  template: S,
  schema?: PayloadSchema<T>,
): TypedChannel<T, S> {
  if (typeof template !== 'string' || template.length === 0)
    throw invalidArgument('channel needs a template like "chat:{id}"')
  const names = [...template.matchAll(PARAM)].map((m) => m[1]!)
  const literals = template.split(PARAM).filter((_, i) => i % 2 === 0)
  const source = literals.map((l) => l.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
  const parse = new RegExp(`^${source.map((l, i) => (i < names.length ? `${l}(.+?)` : l)).join('')}$`)

  function build(params: Partial<Record<string, string>>, wildcard: boolean): string {
    let out = wildcard ? escapeGlob(literals[0]!) : literals[0]!
    names.forEach((param, i) => {
      const value = params[param]
      if (value === undefined && wildcard) out += '*'
      else {
        if (typeof value !== 'string' || value.length === 0)
          throw invalidArgument(`channel ${template}: parameter ${param} must be a non-empty string`)
        out += wildcard ? escapeGlob(value) : value
      }
      out += wildcard ? escapeGlob(literals[i + 1]!) : literals[i + 1]!
    })
    return out
  }

  function check(payload: unknown, channel: string): { ok: true; value: T } | { ok: false } {
    if (!schema) return { ok: true, value: payload as T }
    const result = schema.safeParse(payload)
    if (result.success) return { ok: true, value: result.data }
    host.invalid(channel, payload)
    return { ok: false }
  }

  return {
    template,
    name: (params) => build(params as Record<string, string>, false),
    async publish(params, payload) {
      const channel = build(params as Record<string, string>, false)
      if (schema) {
        const result = schema.safeParse(payload)
        if (!result.success) {
          const issues = result.error.issues.map((i) => `${i.path.join('.') || '(payload)'}: ${i.message}`)
          throw invalidArgument(
            `publish to ${channel}: the payload does not match the schema — ${issues.join('; ')}`,
          )
        }
        return host.publish(channel, result.data)
      }
      return host.publish(channel, payload)
    },
    async subscribe(params, handler, options = {}) {
      if (typeof handler !== 'function') throw invalidArgument('subscribe needs a handler function')
      const given = params ?? {}
      const wildcard = names.some((n) => (given as Record<string, string | undefined>)[n] === undefined)
      const name = build(given as Record<string, string>, wildcard)
      return host.subscribe(
        name,
        (payload, message) => {
          const checked = check(payload, message.channel)
          if (!checked.ok) return
          const match = parse.exec(message.channel)
          const values = Object.fromEntries(names.map((n, i) => [n, match?.[i + 1] ?? ''])) as Record<
            ChannelParams<S>,
            string
          >
          handler(checked.value, { ...message, params: values })
        },
        { pattern: wildcard, ...(options.onGap ? { onGap: options.onGap } : {}) },
      )
    },
  }
}
