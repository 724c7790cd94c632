import { connect, createServer, type Socket } from 'node:net'
import { Pair, type Stats } from './fault-proxy-pair.js'
import { type Dir, noFaults, type ReplyFn } from './fault-proxy-pipe.js'

/**
 * An in-process TCP proxy between a client and a real redis-server, with faults that tests
 * switch synchronously (Toxiproxy-like toxics, without an extra binary or a REST API).
 *
 * Every pair (client socket + its own upstream socket) runs two pipes, 'up' (commands) and
 * 'down' (replies). Both directions are always scanned for RESP frame boundaries, without
 * buffering, so the proxy knows at any time how many replies are still owed: that is what lets
 * reply() be switched on mid-stream and still keep replies in command order.
 */
export interface FaultProxy {
  readonly port: number
  /** redis://127.0.0.1:<port> */
  readonly url: string
  /** The Redis address behind the proxy. */
  readonly target: { readonly host: string; readonly port: number }
  /** Destroys every pair and closes the listener. Idempotent. */
  stop(): Promise<void>
  /** Plain pass-through: clears every fault, refuse and reply included (live pairs stay up). */
  pass(): void
  /** Delays each chunk by ms + random(0..jitterMs); chunk order is kept. Default dir 'both'. */
  latency(ms: number, jitterMs?: number, dir?: Dir | 'both'): void
  /**
   * Swallows data (sockets stay open, nothing is answered: a frozen server look-alike). FINs
   * still pass, so a client that disconnects does close its pair. Default dir 'both'.
   * A client that sent commands into a blackhole is out of step afterwards (it waits for
   * replies that never come): it needs a reconnect after pass(), e.g. cut(). ioredis's
   * socketTimeout only helps if it fires before pass(): afterwards every late reply re-arms it.
   */
  blackhole(dir?: Dir | 'both'): void
  /** Ends every live pair now: RST (resetAndDestroy) or FIN. New connections are still accepted. */
  cut(how?: 'rst' | 'fin'): void
  /** While on, new connections are reset as soon as they are accepted. */
  refuse(on: boolean): void
  /** Closes a pair (FIN) once `bytes` have passed in `dir` (counted from this call); default 'down'. */
  limitData(bytes: number, dir?: Dir): void
  /** Re-chunks data into random pieces of 1..maxBytes, one piece per event-loop turn; 0: off. */
  slice(maxBytes: number): void
  /**
   * Answers commands itself: when `fn(command)` returns a string (raw RESP, e.g.
   * '-READONLY ...\r\n'), that is the reply and the command is not forwarded; undefined forwards
   * it. command[0] is upper-cased. While on, each command is held until complete (the rest
   * stream through). Order: a local reply is queued behind the replies still owed for earlier
   * forwarded commands and sent the moment the last of them has passed, so pipelines keep
   * command order without waiting for Redis between commands. Assumes one reply per command:
   * not for subscriber or MONITOR connections. A throwing fn becomes an -ERR reply.
   */
  reply(fn: ReplyFn | undefined): void
  /** accepted/refused: connections; live: open pairs; bytesUp/Down: bytes received from each side. */
  stats(): { accepted: number; refused: number; live: number; bytesUp: number; bytesDown: number }
}

/** Starts a proxy on 127.0.0.1 (ephemeral port) in front of `target`. */
export async function startFaultProxy(target: { host: string; port: number }): Promise<FaultProxy> {
  const faults = noFaults()
  const pairs = new Set<Pair>()
  const sockets = new Set<Socket>()
  const stats: Stats = { bytesUp: 0, bytesDown: 0 }
  let accepted = 0
  let refused = 0
  let stopping: Promise<void> | undefined
  const track = (socket: Socket) => {
    socket.on('error', () => {}) // resets are the point of this proxy; tests assert on the client
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  }
  const server = createServer({ allowHalfOpen: true }, (client) => {
    track(client)
    if (faults.refuse || stopping) {
      refused++
      client.resetAndDestroy()
      return
    }
    accepted++
    const upstream = connect({ host: target.host, port: target.port, allowHalfOpen: true })
    track(upstream)
    client.setNoDelay(true)
    upstream.setNoDelay(true)
    pairs.add(new Pair(client, upstream, faults, stats, (pair) => pairs.delete(pair)))
  })
  server.on('error', () => {})
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve())
  })
  const address = server.address()
  if (!address || typeof address === 'string') throw new Error('fault proxy: no TCP address')
  const dirs = (dir: Dir | 'both'): Dir[] => (dir === 'both' ? ['up', 'down'] : [dir])
  const pipes = (dir: Dir) => [...pairs].map((p) => (dir === 'up' ? p.up : p.down))
  const nonNegative = (what: string, n: number) => {
    if (!Number.isFinite(n) || n < 0) throw new RangeError(`fault proxy: ${what} must be >= 0, got ${n}`)
  }
  return {
    port: address.port,
    url: `redis://127.0.0.1:${address.port}`,
    target: { host: target.host, port: target.port },
    stop() {
      stopping ??= new Promise<void>((resolve) => {
        server.close(() => resolve())
        for (const pair of pairs) pair.close('destroy')
        for (const socket of sockets) socket.destroy()
      })
      return stopping
    },
    pass() {
      Object.assign(faults, noFaults())
    },
    latency(ms, jitterMs = 0, dir = 'both') {
      nonNegative('latency', ms)
      nonNegative('jitter', jitterMs)
      for (const d of dirs(dir)) faults.latency[d] = { ms, jitterMs }
    },
    blackhole(dir = 'both') {
      for (const d of dirs(dir)) faults.blackhole[d] = true
    },
    cut(how = 'rst') {
      for (const pair of [...pairs]) pair.close(how)
    },
    refuse(on) {
      faults.refuse = on
    },
    limitData(bytes, dir = 'down') {
      nonNegative('limitData', bytes)
      faults.limit[dir] = bytes
      for (const pipe of pipes(dir)) pipe.resetLimit()
    },
    slice(maxBytes) {
      nonNegative('slice', maxBytes)
      faults.slice = Math.floor(maxBytes)
    },
    reply(fn) {
      faults.reply = fn
    },
    stats: () => ({ accepted, refused, live: pairs.size, ...stats }),
  }
}

export interface ClusterProxies {
  /** One proxy per node, in the order of the nodes given. */
  readonly proxies: FaultProxy[]
  /** For `new Cluster(seeds, { natMap })`: each node's announced address → its proxy. */
  readonly natMap: Record<string, { host: string; port: number }>
  /** The proxy in front of the node with this (real) port. */
  proxyFor(port: number): FaultProxy
  stop(): Promise<void>
}

/**
 * One proxy per cluster node. Nodes announce their real ports in CLUSTER SLOTS and MOVED; the
 * natMap makes ioredis connect to the proxies instead. Seed the client with the proxies' ports.
 */
export async function startClusterProxies(
  nodes: ReadonlyArray<{ host: string; port: number }>,
): Promise<ClusterProxies> {
  const started = await Promise.allSettled(nodes.map((n) => startFaultProxy(n)))
  const proxies = started.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []))
  const stop = async () => void (await Promise.all(proxies.map((p) => p.stop())))
  const failed = started.find((r) => r.status === 'rejected')
  if (failed) {
    await stop()
    throw (failed as PromiseRejectedResult).reason
  }
  const natMap = Object.fromEntries(
    proxies.map((p) => [`${p.target.host}:${p.target.port}`, { host: '127.0.0.1', port: p.port }]),
  )
  return {
    proxies,
    natMap,
    proxyFor(port) {
      const proxy = proxies.find((p) => p.target.port === port)
      if (!proxy) throw new Error(`no proxy in front of port ${port}`)
      return proxy
    },
    stop,
  }
}
