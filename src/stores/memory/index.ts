/**
 * @module stores/memory
 * The embedded MemoryStore: Redis semantics in process, bounded by keys and bytes. Every command
 * is implemented once, synchronously; the async Store methods and the script twins' context are
 * both built from that one implementation, which is what makes a twin atomic.
 */
import { RedisKitError } from '../../errors.js'
import { Emitter } from '../../internal/events.js'
import { parseOptions } from '../../internal/options.js'
import { assertChannel } from '../../internal/validate.js'
import { type CheckContext, COMMANDS, checkBatchCommand, checkCommand } from '../commands.js'
import { prepareScriptCall, toScriptReply } from '../define-script.js'
import type { BatchCommand, CommandName, Commands, ScanOptions, ScriptContext, Store } from '../types.js'
import { bitmapCommands } from './bitmaps.js'
import { hashCommands } from './hashes.js'
import { hyperLogLogCommands } from './hyperloglog.js'
import { keyCommands } from './keys.js'
import { Keyspace } from './keyspace.js'
import { listCommands } from './lists.js'
import { type MemoryStoreOptions, memoryStoreOptionsSchema } from './options.js'
import { MemoryPubSub } from './pubsub.js'
import { scanKeyspace } from './scan.js'
import { setCommands } from './sets.js'
import { sortedSetCommands } from './sorted-sets.js'
import { claimCommands, entryCommands, groupCommands, StreamWaiters } from './streams/index.js'
import { blockingReads } from './streams/reads.js'
import { stringCommands } from './strings.js'

export type { MemoryStoreOptions } from './options.js'

export interface MemoryStoreStats {
  keys: number
  bytes: number
  maxKeys: number
  maxBytes: number
  evicted: number
  expired: number
  subscriptions: number
}

export interface MemoryStoreEvents {
  /** A key was evicted to keep the store within maxKeys / maxBytes. */
  evict: [key: string]
  [event: string]: unknown[]
}

export interface MemoryStore extends Store {
  readonly name: 'memory'
  stats(): MemoryStoreStats
  on<K extends keyof MemoryStoreEvents>(
    event: K,
    listener: (...args: MemoryStoreEvents[K]) => void,
  ): () => void
}

/** Creates an in-process store with Redis semantics. Nothing is shared between instances. */
export function createMemoryStore(options: MemoryStoreOptions = {}): MemoryStore {
  const opts = parseOptions(memoryStoreOptionsSchema, options, 'createMemoryStore')
  const events = new Emitter<MemoryStoreEvents>()
  const waiters = new StreamWaiters()
  const ks = new Keyspace({
    maxKeys: opts.maxKeys,
    maxBytes: opts.maxBytes,
    now: opts.now,
    onEvict: (key) => events.emit('evict', key),
    onRemove: (key, entry) => {
      if (entry.type === 'stream') waiters.touch(key)
    },
  })
  const streams = { ks, touched: (key: string) => waiters.touch(key) }
  const streamImpl = { ...entryCommands(streams), ...groupCommands(streams) }
  const blocking = blockingReads(ks, streamImpl, waiters)
  const pubsub = new MemoryPubSub()
  const ctx: CheckContext = { maxValueBytes: opts.maxValueBytes }
  let closed = false

  const impl = {
    ...stringCommands(ks),
    ...keyCommands(ks),
    ...hashCommands(ks),
    ...setCommands(ks),
    ...listCommands(ks),
    ...sortedSetCommands(ks),
    ...hyperLogLogCommands(ks),
    ...bitmapCommands(ks),
    ...streamImpl,
    ...claimCommands(streams),
    publish: (channel: string, message: string | Buffer) => pubsub.publish(channel, message),
  } as Record<CommandName, (...args: unknown[]) => unknown>

  function ensureOpen(): void {
    if (closed) throw new RedisKitError('CLOSED', 'the memory store is closed')
  }

  function run(name: CommandName, args: unknown[]): unknown {
    ensureOpen()
    checkCommand(name, args, ctx)
    return impl[name]!(...args)
  }

  /** XREAD/XREADGROUP with BLOCK: wait for entries (scripts and batches never block). */
  function blockingRead(name: CommandName, args: unknown[]): Promise<unknown> {
    ensureOpen()
    checkCommand(name, args, ctx)
    if (name === 'xread') return blocking.xread(args[0] as never, args[1] as never)
    return blocking.xreadgroup(args[0] as never, args[1] as never, args[2] as never, args[3] as never)
  }

  const scriptContext = { time: () => clock(ks.now()) } as ScriptContext
  const commands = {} as Record<CommandName, (...args: unknown[]) => Promise<unknown>>
  for (const name of Object.keys(COMMANDS) as CommandName[]) {
    ;(scriptContext as unknown as Record<string, unknown>)[name] = (...args: unknown[]) => run(name, args)
    commands[name] = (...args: unknown[]) => {
      try {
        if ((COMMANDS[name].blockMs?.(args) ?? 0) > 0) return blockingRead(name, args)
        return Promise.resolve(run(name, args))
      } catch (err) {
        return Promise.reject(err)
      }
    }
  }

  const store: MemoryStore = {
    ...(commands as unknown as Commands),
    name: 'memory',
    scan: (scanOptions?: ScanOptions) => scanKeyspace(ks, scanOptions, () => closed),
    async subscribe(channel, handler) {
      ensureOpen()
      assertChannel(channel)
      return pubsub.subscribe(channel, handler)
    },
    async psubscribe(pattern, handler) {
      ensureOpen()
      assertChannel(pattern, 'pattern')
      return pubsub.psubscribe(pattern, handler)
    },
    async eval(script, keys, args) {
      ensureOpen()
      const argv = prepareScriptCall(script, keys, args)
      try {
        return toScriptReply(script.run(scriptContext, [...keys], argv)) as never
      } catch (err) {
        if (err instanceof RedisKitError) throw err
        throw new RedisKitError('SCRIPT_ERROR', `script ${script.name} failed: ${(err as Error).message}`, {
          cause: err,
        })
      }
    },
    async batch(batchCommands) {
      if (!Array.isArray(batchCommands))
        throw new RedisKitError('INVALID_ARGUMENT', 'batch takes an array of commands')
      ensureOpen()
      // like RedisStore: every command is checked before any runs, so bad input writes nothing
      for (const command of batchCommands as readonly BatchCommand[]) {
        if (!Array.isArray(command))
          throw new RedisKitError('INVALID_ARGUMENT', 'each batch command is an array')
        const [name, ...args] = command
        checkBatchCommand(name, args, ctx)
      }
      const results: unknown[] = []
      let firstError: unknown
      for (const command of batchCommands as readonly BatchCommand[]) {
        try {
          const [name, ...args] = command
          results.push(impl[name]!(...args))
        } catch (err) {
          firstError ??= err
          results.push(undefined)
        }
      }
      if (firstError !== undefined) throw firstError
      return results as never
    },
    async ping() {
      ensureOpen()
      return 0
    },
    async info() {
      ensureOpen()
      return {
        redis_version: 'memory',
        used_memory: String(ks.usedBytes),
        maxmemory: String(opts.maxBytes),
        maxmemory_policy: 'allkeys-lru',
        keys: String(ks.size),
        evicted_keys: String(ks.evicted),
        expired_keys: String(ks.expired),
      }
    },
    async close() {
      closed = true
      ks.close()
      pubsub.clear()
      waiters.close(new RedisKitError('CLOSED', 'the memory store is closed'))
    },
    stats: () => ({
      keys: ks.size,
      bytes: ks.usedBytes,
      maxKeys: opts.maxKeys,
      maxBytes: opts.maxBytes,
      evicted: ks.evicted,
      expired: ks.expired,
      subscriptions: pubsub.subscriptionCount,
    }),
    on: (event, listener) => events.on(event, listener as never),
  }
  return store
}

function clock(ms: number): [number, number] {
  return [Math.floor(ms / 1000), (ms % 1000) * 1000]
}
