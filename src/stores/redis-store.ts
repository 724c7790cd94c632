/**
 * RedisStore: the Store contract over one ioredis client (standalone, Sentinel or Cluster).
 * Multi-key commands that Redis Cluster cannot run across slots (MGET, DEL, UNLINK, EXISTS) are
 * split per slot; batches become one pipeline per slot; scripts run by EVALSHA with a reload on
 * NOSCRIPT; SCAN visits every master.
 */
import type { Redis } from 'ioredis'
import { RedisKitError } from '../errors.js'
import { Emitter } from '../internal/events.js'
import { addressOf, INSPECT } from '../internal/redact.js'
import { groupBySlot } from '../internal/slot.js'
import { type CheckContext, COMMANDS, checkBatchCommand, checkCommand } from './commands.js'
import { checkScriptCall } from './define-script.js'
import { BlockingPool, blockingReads } from './redis-blocking.js'
import { type Arg, WIRE, type WireCommand, wireArgs } from './redis-commands.js'
import { type Client, Connection } from './redis-connection.js'
import { toKitError } from './redis-errors.js'
import { scanRedis } from './redis-scan.js'
import { RedisSubscriber } from './redis-subscriber.js'
import type { BatchCommand, CommandName, Commands, Store, StoreInfo } from './types.js'

export interface RedisStoreEvents {
  /** A connection error (the store keeps reconnecting; calls fail fast meanwhile). */
  error: [error: RedisKitError]
  ready: []
  [event: string]: unknown[]
}

export interface RedisStore extends Store {
  readonly name: 'redis'
  /** The ioredis client (an escape hatch; commands sent through it bypass the store's checks). */
  readonly client: Client
  readonly isCluster: boolean
  /** Largest value accepted (VALUE_TOO_LARGE beyond it). */
  readonly maxValueBytes: number
  on<K extends keyof RedisStoreEvents>(event: K, listener: (...args: RedisStoreEvents[K]) => void): () => void
}

export interface StoreOverClientOptions {
  owned: boolean
  maxValueBytes: number
  readyTimeoutMs: number
  deadlineMs: number
  adaptivePipelining?: boolean
  /** Most connections for blocking reads (XREAD/XREADGROUP BLOCK). */
  maxBlockingConnections?: number
  /** Added to a blocking read's block time to make its deadline (ms). */
  blockingGraceMs?: number
}

const SPLITTABLE = new Set<CommandName>(['mget', 'mgetBuffer', 'del', 'unlink', 'exists'])

export function createStoreOverClient(client: Client, options: StoreOverClientOptions): RedisStore {
  const conn = new Connection(client, options)
  const events = new Emitter<RedisStoreEvents>()
  const ctx: CheckContext = { maxValueBytes: options.maxValueBytes }
  const onError = (err: unknown) => events.emit('error', toKitError(err, 'connection'))
  const onReady = () => events.emit('ready')
  client.on('error', onError)
  client.on('ready', onReady)
  const subscriber = new RedisSubscriber(conn, onError)
  const blocking = new BlockingPool(
    conn,
    {
      max: options.maxBlockingConnections ?? 32,
      graceMs: options.blockingGraceMs ?? 1000,
      readyTimeoutMs: options.readyTimeoutMs,
    },
    onError,
  )
  const blockingRead = blockingReads(blocking, (name, args) => send(name, args))

  function execute(name: CommandName, args: unknown[]): Promise<unknown> {
    try {
      checkCommand(name, args, ctx)
    } catch (err) {
      return Promise.reject(err)
    }
    if (conn.isCluster && SPLITTABLE.has(name)) return splitPerSlot(name, args)
    const block = COMMANDS[name].blockMs?.(args) ?? 0
    if (block > 0) return blockingRead(name as 'xread' | 'xreadgroup', args, block)
    return send(name, args)
  }

  function send(name: CommandName, args: unknown[]): Promise<unknown> {
    const wire = WIRE[name](...args)
    return recover(wire, conn.send(wire.argv, wire.buffer, client, wire.parse))
  }

  /** An error reply that the command reads as a result (XGROUP CREATE's BUSYGROUP: false). */
  function recover(wire: WireCommand, sent: Promise<unknown>): Promise<unknown> {
    if (!wire.recover) return sent
    return sent.catch((err: unknown) => {
      const recovered = wire.recover!((err as Error).message)
      if (recovered) return recovered.value
      throw err
    })
  }

  /** Runs a multi-key command once per slot and merges the replies in the caller's order. */
  async function splitPerSlot(name: CommandName, args: unknown[]): Promise<unknown> {
    const keys = args[0] as string[]
    const groups = [...groupBySlot(keys, (k) => k).values()]
    const replies = await Promise.all(
      groups.map((positions) => {
        const wire = WIRE[name](positions.map((i) => keys[i]))
        return conn.send(wire.argv, wire.buffer, client, wire.parse)
      }),
    )
    if (name !== 'mget' && name !== 'mgetBuffer') return (replies as number[]).reduce((a, b) => a + b, 0)
    const out: unknown[] = new Array(keys.length)
    groups.forEach((positions, g) => {
      positions.forEach((position, j) => {
        out[position] = (replies[g] as unknown[])[j]
      })
    })
    return out
  }

  const commands = {} as Record<CommandName, (...args: unknown[]) => Promise<unknown>>
  for (const name of Object.keys(COMMANDS) as CommandName[]) {
    commands[name] = (...args: unknown[]) => execute(name, args)
  }

  async function runBatch(batch: readonly BatchCommand[]): Promise<unknown[]> {
    if (conn.closed) throw new RedisKitError('CLOSED', 'the Redis store is closed')
    if (!Array.isArray(batch)) throw new RedisKitError('INVALID_ARGUMENT', 'batch takes an array of commands')
    const wires = batch.map((command) => {
      const [name, ...args] = command as readonly [CommandName, ...unknown[]]
      checkBatchCommand(name, args, ctx)
      return WIRE[name](...args)
    })
    const firstKey = (i: number) => {
      const [name, ...args] = batch[i] as readonly [CommandName, ...unknown[]]
      return COMMANDS[name].keys(args)[0] ?? ''
    }
    const indices = wires.map((_, i) => i)
    const groups = conn.isCluster ? [...groupBySlot(indices, firstKey).values()] : [indices]
    const results: unknown[] = new Array(wires.length)
    let firstError: unknown
    await conn.whenReady().catch((err) => {
      throw toKitError(err, 'batch')
    })
    await Promise.all(
      groups.map(async (positions) => {
        const pipeline = client.pipeline()
        for (const i of positions) {
          const w = wires[i]!
          const argv = wireArgs(w.argv) as [string, ...Arg[]]
          if (w.buffer) pipeline.callBuffer(...argv)
          else pipeline.call(...argv)
        }
        const replies = (await conn.bounded(pipeline.exec(), 'batch')) ?? []
        positions.forEach((i, j) => {
          const [err, reply] = replies[j] ?? [new Error('no reply'), null]
          const recovered = err ? wires[i]!.recover?.(err.message) : undefined
          if (recovered) results[i] = recovered.value
          else if (err) firstError ??= toKitError(err, batch[i]![0])
          else results[i] = wires[i]!.parse ? wires[i]!.parse!(reply) : reply
        })
      }),
    )
    if (firstError !== undefined) throw firstError
    return results
  }

  // not async: the NOSCRIPT retry rides on send's own promise (every script call is on this path)
  function runScript(
    script: Parameters<Store['eval']>[0],
    keys: readonly string[],
    args: readonly Arg[],
  ): Promise<unknown> {
    try {
      checkScriptCall(script, keys, args)
    } catch (err) {
      return Promise.reject(err)
    }
    // one array, filled in place (spreads cost more on this path)
    const argv = new Array<Arg>(3 + keys.length + args.length) as [string, ...Arg[]]
    argv[0] = 'evalsha'
    argv[1] = script.sha1
    argv[2] = keys.length
    for (let i = 0; i < keys.length; i++) argv[3 + i] = keys[i]!
    for (let i = 0; i < args.length; i++) argv[3 + keys.length + i] = args[i]!
    return conn.send(argv, false, client, undefined, (error) => {
      if (!/NOSCRIPT/.test(error.message)) throw error
      return conn.send(['eval', script.lua, ...argv.slice(2)])
    })
  }

  const store: RedisStore = {
    ...(commands as unknown as Commands),
    name: 'redis',
    client,
    isCluster: conn.isCluster,
    maxValueBytes: options.maxValueBytes,
    scan: (scanOptions) => scanRedis(conn, scanOptions),
    subscribe: (channel, handler) => subscriber.subscribe(channel, handler),
    psubscribe: (pattern, handler) => subscriber.psubscribe(pattern, handler),
    onSubscriptionGap: (listener) => subscriber.onGap(listener),
    eval: (script, keys, args) => runScript(script, keys, args) as never,
    batch: (batch) => runBatch(batch) as never,
    async ping() {
      const start = performance.now()
      await conn.send(['ping'])
      return performance.now() - start
    },
    async info() {
      const node = conn.isCluster ? (client as { nodes(role: string): Redis[] }).nodes('master')[0] : client
      const text = String(await conn.send(['info'], false, node ?? client))
      const out: StoreInfo = Object.create(null)
      for (const line of text.split(/\r?\n/)) {
        const colon = line.indexOf(':')
        if (colon > 0 && !line.startsWith('#')) out[line.slice(0, colon)] = line.slice(colon + 1)
      }
      return out
    },
    async close() {
      if (conn.closed) return
      conn.closed = true
      await Promise.all([subscriber.close(), blocking.close()])
      client.off('ready', onReady)
      if (!options.owned) {
        client.off('error', onError)
        return
      }
      const quit = client.quit().catch(() => {})
      const timer = setTimeout(() => client.disconnect(), 1000)
      await quit
      clearTimeout(timer)
      // a QUIT that could not be sent (the connection was being reset after a timeout) leaves the
      // client to reconnect and stay open: end it for good (no reconnect after a manual close)
      if (client.status !== 'end') client.disconnect()
      conn.stopDeadlines() // every command has ended with the connection
    },
    on: (event, listener) => events.on(event, listener as never),
  }
  // The client holds credentials: keep it out of spreads, JSON and util.inspect.
  Object.defineProperty(store, 'client', { value: client, enumerable: false })
  const describe = () =>
    `RedisStore { ${conn.isCluster ? 'cluster' : 'standalone'} ${addressOf(client)}, ${client.status} }`
  Object.defineProperty(store, INSPECT, { value: describe, enumerable: false })
  Object.defineProperty(store, 'toString', { value: describe, enumerable: false })
  Object.defineProperty(store, 'toJSON', { value: describe, enumerable: false })
  return store
}
