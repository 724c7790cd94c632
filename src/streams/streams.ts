/**
 * createStreams: append-only logs on Redis Streams (or the memory store). The seeds' chat
 * history and activity feeds, general append / range / tail, and consumer groups. Keys are
 * `<prefix>streams:<name>`; the chat helpers use the stream `chat:<conversationId>`, the
 * activity ones `activity:<userId>`. Appends trim to the last 1000 entries unless told otherwise.
 */
import { hostname } from 'node:os'
import { invalidArgument } from '../errors.js'
import { toMs, toPositiveMs } from '../internal/duration.js'
import { isStreamId } from '../internal/entry-ids.js'
import { Emitter } from '../internal/events.js'
import { createKeyBuilder, describe } from '../internal/keys.js'
import { parseOptions } from '../internal/options.js'
import { encodePayload, schemaFor } from '../internal/payload.js'
import type { Store, StreamTrim } from '../stores/types.js'
import { startConsumer } from './consume.js'
import type { ConsumeHandler, Consumer } from './consumer.js'
import { DATA_FIELD, type StreamItem, streamName, toItem } from './items.js'
import {
  type ConsumeOptions,
  consumeOptionsSchema,
  type StreamsOptions,
  streamsOptionsSchema,
} from './options.js'
import { type TailOptions, Tails } from './tail.js'

export interface AppendOptions {
  /** Entries to keep (trimming); false: do not trim. @default the streams' maxLen (1000) */
  maxLen?: number | false
}

export interface RangeOptions {
  /** Only entries after this id (exclusive). */
  after?: string
  /** Only entries before this id (exclusive). */
  before?: string
  /** At most this many (1 to 10 000). @default 100 */
  limit?: number
  /** Newest first. @default false */
  newestFirst?: boolean
}

export interface StreamsStats {
  appends: number
  reads: number
  /** Streams followed by tail() right now (one read loop each). */
  tails: number
  consumers: number
  errors: number
}

export interface Streams {
  /** Appends `data` (JSON-like, checked against the stream's schema); resolves with its id. */
  append<T>(stream: string, data: T, options?: AppendOptions): Promise<string>
  range<T = unknown>(stream: string, options?: RangeOptions): Promise<StreamItem<T>[]>
  /** Entries as they are added (from now, the start, or after an id), until `signal` aborts. */
  tail<T = unknown>(stream: string, options?: TailOptions): AsyncGenerator<StreamItem<T>>
  length(stream: string): Promise<number>
  /** Starts a consumer of `group` (created when missing) that runs `handler` on each entry. */
  consume<T = unknown>(
    stream: string,
    group: string,
    handler: ConsumeHandler<T>,
    options?: ConsumeOptions,
  ): Consumer
  /** @example await streams.addChatMessage(conversationId, { role: 'user', content, timestamp }) */
  addChatMessage<T>(conversationId: string, message: T): Promise<string>
  /** The last `count` messages, oldest first. @default count 50 */
  getChatMessages<T = unknown>(conversationId: string, count?: number): Promise<StreamItem<T>[]>
  addActivity<T>(userId: string, activity: T): Promise<string>
  /** A page of the feed, newest first; pass the last item's id as `before` for the next page. */
  getActivity<T = unknown>(
    userId: string,
    options?: { limit?: number; before?: string },
  ): Promise<StreamItem<T>[]>
  stats(): StreamsStats
  on(event: 'error', listener: (error: unknown) => void): () => void
  /** Ends every tail loop and stops every consumer (waits for their handlers). */
  close(): Promise<void>
}

export function createStreams(store: Store, options: StreamsOptions = {}): Streams {
  const opts = parseOptions(streamsOptionsSchema, options, 'createStreams')
  const keys = createKeyBuilder(opts.prefix, 'streams')
  const blockMs = toPositiveMs(opts.block, 'block')
  const events = new Emitter<{ error: [error: unknown] }>()
  const counters = { appends: 0, reads: 0, errors: 0 }
  const onError = (err: unknown) => {
    counters.errors++
    events.emit('error', err)
  }
  const tails = new Tails(store, {
    blockMs,
    pageSize: opts.pageSize,
    bufferSize: opts.pageSize * 10,
    onError,
  })
  const consumers = new Set<Consumer>()
  const keyOf = (name: unknown) => keys.key(streamName(name))

  function trimOf(maxLen: number | false | undefined): StreamTrim | undefined {
    const n = maxLen === undefined ? opts.maxLen : maxLen
    if (n === false) return undefined
    if (!Number.isSafeInteger(n) || n < 1)
      throw invalidArgument(`maxLen must be a positive whole number or false (got ${describe(n)})`)
    return { maxlen: n, approximate: opts.trim === 'approximate' }
  }

  async function append(name: string, data: unknown, o: AppendOptions = {}): Promise<string> {
    const key = keyOf(name)
    const encoded = encodePayload(data, schemaFor(opts.schemas, name), `append to ${name}`)
    const trim = trimOf(o.maxLen)
    const id = await store.xadd(key, { [DATA_FIELD]: encoded }, trim ? { trim } : {})
    counters.appends++
    return id!
  }

  function checkLimit(limit: unknown, max = 10_000): number {
    if (typeof limit !== 'number' || !Number.isSafeInteger(limit) || limit < 1 || limit > max)
      throw invalidArgument(`limit must be a whole number from 1 to ${max} (got ${describe(limit)})`)
    return limit
  }

  function checkId(id: unknown, what: string): string {
    if (!isStreamId(id))
      throw invalidArgument(`${what} must be an entry id like '1700000000000-0' (got ${describe(id)})`)
    return id
  }

  async function range<T>(name: string, o: RangeOptions = {}): Promise<StreamItem<T>[]> {
    const key = keyOf(name)
    const limit = checkLimit(o.limit ?? 100)
    const start = o.after === undefined ? '-' : `(${checkId(o.after, 'after')}`
    const end = o.before === undefined ? '+' : `(${checkId(o.before, 'before')}`
    counters.reads++
    const entries = o.newestFirst
      ? await store.xrevrange(key, end, start, { count: limit })
      : await store.xrange(key, start, end, { count: limit })
    return entries.map((e) => toItem<T>(e))
  }

  return {
    append: (name, data, o) => append(name, data, o),
    range: (name, o) => range(name, o),
    tail(name, o = {}) {
      const key = keyOf(name)
      if (o.from !== undefined && o.from !== 'now' && o.from !== 'start') checkId(o.from, 'from')
      return tails.follow(key, o)
    },
    length: (name) => store.xlen(keyOf(name)),
    consume(name, group, handler, o = {}) {
      const key = keyOf(name)
      if (typeof group !== 'string' || group.length === 0)
        throw invalidArgument('group must be a non-empty string')
      if (typeof handler !== 'function') throw invalidArgument('consume needs a handler function')
      const c = parseOptions(consumeOptionsSchema, o, 'consume')
      const deadLetter = c.deadLetter === undefined ? `${name}:dead` : c.deadLetter
      const trim = trimOf(undefined)
      const consumer = startConsumer(
        store,
        {
          key,
          stream: name,
          group,
          name: c.consumer ?? `${hostname()}:${process.pid}:${Math.random().toString(36).slice(2, 8)}`,
          deadLetterKey: deadLetter === false ? undefined : keyOf(deadLetter),
          concurrency: c.concurrency,
          claimIdleMs: toMs(c.claimIdle, 'claimIdle'),
          retryDelayMs: toMs(c.retryDelay, 'retryDelay'),
          maxDeliveries: c.maxDeliveries,
          blockMs,
          from: c.from,
          appendDeadLetter: (dlq, fields) => store.xadd(dlq, fields, trim ? { trim } : {}),
        },
        handler,
        c.signal,
      )
      consumer.on('error', onError)
      consumers.add(consumer)
      void consumer.done.finally(() => consumers.delete(consumer))
      return consumer
    },
    addChatMessage: (conversationId, message) =>
      append(`chat:${streamName(conversationId, 'conversationId')}`, message),
    async getChatMessages<T>(conversationId: string, count = 50) {
      const items = await range<T>(`chat:${streamName(conversationId, 'conversationId')}`, {
        limit: checkLimit(count),
        newestFirst: true,
      })
      return items.reverse()
    },
    addActivity: (userId, activity) => append(`activity:${streamName(userId, 'userId')}`, activity),
    getActivity: (userId, o = {}) =>
      range(`activity:${streamName(userId, 'userId')}`, {
        limit: o.limit ?? 20,
        newestFirst: true,
        ...(o.before !== undefined ? { before: o.before } : {}),
      }),
    stats: () => ({ ...counters, tails: tails.active, consumers: consumers.size }),
    on: (event, listener) => events.on(event, listener),
    async close() {
      tails.close()
      await Promise.all([...consumers].map((c) => c.stop()))
    },
  }
}
