/**
 * clientIdentifier(request, { trustedProxies }): the client address to rate-limit by. Anyone can
 * send an X-Forwarded-For header, so it is read from the right: each trusted proxy appended the
 * address it saw, and the first address that is not a trusted proxy is the client. Entries left
 * of it are the client's own words and are never used; with no trusted proxy the header is
 * ignored and the socket's address is the client.
 *
 * Without `remoteAddress` (Fetch runtimes do not expose the socket) the nearest hop is assumed
 * to be the platform's proxy: then `trustedProxies` must say so (e.g. 1), or nothing is known.
 * IPv6 clients are grouped by /64 by default (one host commonly owns a whole /64).
 */
import { BlockList, isIP } from 'node:net'
import { invalidArgument } from '../errors.js'

export interface ClientIdentifierOptions {
  /**
   * Who may append to X-Forwarded-For: how many proxy hops stand in front of the app, or the
   * proxies' addresses and CIDRs ('10.0.0.0/8', '2001:db8::/32', 'loopback', 'private',
   * 'linklocal'). @default 0 (nobody: the socket's address is the client)
   */
  trustedProxies?: number | readonly string[]
  /** The TCP peer's address (Node: req.socket.remoteAddress; read from `request.socket` when present). */
  remoteAddress?: string
  /** Prefix length IPv6 clients are grouped by; false for whole addresses. @default 64 */
  ipv6Subnet?: number | false
}

type HeaderBag = { get(name: string): string | null } | Record<string, string | string[] | undefined>
export interface ClientRequestLike {
  headers: HeaderBag
  socket?: { remoteAddress?: string | undefined }
}

const PRESETS: Record<string, [string, number, 'ipv4' | 'ipv6'][]> = {
  loopback: [
    ['127.0.0.0', 8, 'ipv4'],
    ['::1', 128, 'ipv6'],
  ],
  private: [
    ['10.0.0.0', 8, 'ipv4'],
    ['172.16.0.0', 12, 'ipv4'],
    ['192.168.0.0', 16, 'ipv4'],
    ['fc00::', 7, 'ipv6'],
  ],
  linklocal: [
    ['169.254.0.0', 16, 'ipv4'],
    ['fe80::', 10, 'ipv6'],
  ],
}

const lists = new WeakMap<readonly string[], BlockList>()

function trustList(entries: readonly string[]): BlockList {
  let list = lists.get(entries)
  if (list) return list
  list = new BlockList()
  for (const entry of entries) {
    const preset = PRESETS[entry]
    if (preset) {
      for (const [net, prefix, type] of preset) list.addSubnet(net, prefix, type)
      continue
    }
    const [address = '', bits] = entry.split('/')
    const version = isIP(address)
    const prefix = bits === undefined ? (version === 4 ? 32 : 128) : Number(bits)
    if (version === 0 || !Number.isInteger(prefix) || prefix < 0 || prefix > (version === 4 ? 32 : 128)) {
      throw invalidArgument(
        `trustedProxies: ${JSON.stringify(entry)} is not an address, a CIDR, 'loopback', 'private' or 'linklocal'`,
      )
    }
    list.addSubnet(address, prefix, version === 4 ? 'ipv4' : 'ipv6')
  }
  lists.set(entries, list)
  return list
}

/** A bare address from a header entry or socket: ports, brackets and IPv4-mapped IPv6 removed. */
export function normalizeAddress(raw: string): string | undefined {
  let a = raw.trim()
  if (a.startsWith('[')) a = a.slice(1, a.indexOf(']') === -1 ? undefined : a.indexOf(']'))
  else if (/^\d+\.\d+\.\d+\.\d+:\d+$/.test(a)) a = a.slice(0, a.lastIndexOf(':'))
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(a)
  if (mapped) a = mapped[1]!
  return isIP(a) === 0 ? undefined : a.toLowerCase()
}

function header(headers: HeaderBag, name: string): string {
  if (typeof (headers as { get?: unknown }).get === 'function') {
    return (headers as { get(name: string): string | null }).get(name) ?? ''
  }
  const value = (headers as Record<string, string | string[] | undefined>)[name]
  return Array.isArray(value) ? value.join(',') : (value ?? '')
}

/** The first `bits` of an IPv6 address, as `prefix::/bits`. */
export function ipv6Prefix(address: string, bits: number): string {
  const [head = '', tail = ''] = address.split('::')
  const left = head ? head.split(':') : []
  const right = tail ? tail.split(':') : []
  const groups = address.includes('::')
    ? [...left, ...Array(8 - left.length - right.length).fill('0'), ...right]
    : left
  const words = groups.map((g) => Number.parseInt(g, 16) || 0)
  const out = words.map((w, i) => {
    const keep = Math.min(16, Math.max(0, bits - i * 16))
    return keep === 0 ? 0 : w & ((0xffff << (16 - keep)) & 0xffff)
  })
  return `${out
    .slice(0, Math.ceil(bits / 16))
    .map((w) => w.toString(16))
    .join(':')}::/${bits}`
}

export function clientIdentifier(
  request: ClientRequestLike,
  options: ClientIdentifierOptions = {},
): string | undefined {
  if (typeof request !== 'object' || request === null || typeof request.headers !== 'object') {
    throw invalidArgument('clientIdentifier needs a request (Fetch Request or Node IncomingMessage)')
  }
  const { trustedProxies = 0, ipv6Subnet = 64 } = options
  if (typeof trustedProxies === 'number' && (!Number.isInteger(trustedProxies) || trustedProxies < 0)) {
    throw invalidArgument('trustedProxies must be a number of hops >= 0 or a list of addresses and CIDRs')
  }
  if (ipv6Subnet !== false && (!Number.isInteger(ipv6Subnet) || ipv6Subnet < 1 || ipv6Subnet > 128)) {
    throw invalidArgument('ipv6Subnet must be a prefix length from 1 to 128, or false')
  }
  const rawPeer = options.remoteAddress ?? request.socket?.remoteAddress
  const peer = rawPeer === undefined ? undefined : normalizeAddress(rawPeer)
  // hops, nearest last; an unknown peer is a proxy we must trust to know anything
  const hops: (string | undefined)[] = header(request.headers, 'x-forwarded-for')
    .split(',')
    .filter((h) => h.trim() !== '')
    .map(normalizeAddress)
  const chain = [...hops, rawPeer === undefined ? 'unknown' : peer]
  let client: string | undefined
  if (typeof trustedProxies === 'number') {
    const index = chain.length - 1 - trustedProxies
    // fewer hops than trusted proxies: the request skipped them; only the socket is certain
    client = index >= 0 ? chain[index] : peer
  } else {
    const trusted = trustList(trustedProxies)
    const isTrusted = (a: string) => a === 'unknown' || trusted.check(a, isIP(a) === 4 ? 'ipv4' : 'ipv6')
    for (let i = chain.length - 1; i >= 0; i--) {
      const address = chain[i]
      client = address // undefined: a trusted proxy passed on something that is not an address
      if (address === undefined) break
      if (!isTrusted(address)) break
    }
  }
  if (client === undefined || client === 'unknown') return undefined
  if (ipv6Subnet !== false && isIP(client) === 6) return ipv6Prefix(client, ipv6Subnet)
  return client
}
