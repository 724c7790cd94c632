/**
 * Memory store: SETBIT, GETBIT, BITCOUNT, BITOP with Redis 7.0 semantics. Bitmaps are string
 * entries holding a Buffer (a string value is converted in place on the first SETBIT); they grow
 * with zero bytes, and keep spare capacity as Redis's sdsMakeRoomFor does (double below 1 MiB,
 * +1 MiB above), so that setting increasing offsets stays linear. The spare bytes are counted.
 */
import type { BitCountRange, BitmapCommands, BitOp } from '../types.js'
import type { Entry, Keyspace } from './keyspace.js'
import type { StringValue } from './strings.js'
import type { Sync } from './sync.js'

const MIB = 1024 * 1024

/** Popcount of every byte value. */
const POPCOUNT = Uint8Array.from({ length: 256 }, (_, byte) => {
  let n = 0
  for (let b = byte; b !== 0; b >>>= 1) n += b & 1
  return n
})

function popcount(bytes: Uint8Array, start: number, end: number): number {
  let n = 0
  for (let i = start; i <= end; i++) n += POPCOUNT[bytes[i]!]!
  return n
}

const bytesOf = (value: StringValue): Buffer => (typeof value === 'string' ? Buffer.from(value) : value)

/** BITCOUNT's range arithmetic, as Redis 7.0's bitcountCommand does it. */
function countRange(bytes: Buffer, range: BitCountRange): number {
  const bit = range.unit === 'BIT'
  const total = bit ? bytes.length * 8 : bytes.length
  let { start, end } = range
  if (start < 0 && end < 0 && start > end) return 0
  if (start < 0) start += total
  if (end < 0) end += total
  if (start < 0) start = 0
  if (end < 0) end = 0
  if (end >= total) end = total - 1
  if (start > end) return 0
  if (!bit) return popcount(bytes, start, end)
  // count whole bytes, then take away the bits outside [start, end] in the edge bytes
  const firstMask = ~((1 << (8 - (start % 8))) - 1) & 0xff
  const lastMask = (1 << (7 - (end % 8))) - 1
  const first = Math.floor(start / 8)
  const last = Math.floor(end / 8)
  return (
    popcount(bytes, first, last) - POPCOUNT[bytes[first]! & firstMask]! - POPCOUNT[bytes[last]! & lastMask]!
  )
}

function combine(operation: BitOp, sources: Buffer[], length: number): Buffer {
  const result = Buffer.alloc(length)
  const [head = Buffer.alloc(0), ...rest] = sources
  for (let j = 0; j < length; j++) {
    let out = head[j] ?? 0
    if (operation === 'NOT') out = ~out & 0xff
    for (const src of rest) {
      const byte = src[j] ?? 0
      if (operation === 'AND') out &= byte
      else if (operation === 'OR') out |= byte
      else out ^= byte
    }
    result[j] = out
  }
  return result
}

export function bitmapCommands(ks: Keyspace): Sync<BitmapCommands> {
  /** Array buffers this module allocated, whose bytes past the value's length are spare zeros. */
  const owned = new WeakSet<ArrayBufferLike>()

  function allocate(length: number): Buffer {
    const bytes = Buffer.alloc(length)
    owned.add(bytes.buffer)
    return bytes
  }

  /** The entry's bytes, at least `needed` long; the size is checked before anything is allocated. */
  function writable(key: string, entry: Entry<StringValue>, needed: number): Buffer {
    const bytes = bytesOf(entry.value)
    if (bytes.length >= needed) {
      if (bytes !== entry.value) {
        entry.value = bytes
        ks.resize(key, entry, bytes.length)
      }
      return bytes
    }
    if (owned.has(bytes.buffer) && bytes.byteOffset === 0 && bytes.buffer.byteLength >= needed) {
      entry.value = Buffer.from(bytes.buffer, 0, needed)
      return entry.value
    }
    let capacity = needed < MIB ? needed * 2 : needed + MIB
    if (capacity > ks.maxBytes) capacity = needed
    ks.resize(key, entry, capacity)
    const grown = allocate(capacity)
    bytes.copy(grown)
    entry.value = grown.subarray(0, needed)
    return entry.value
  }

  function setbit(key: string, offset: number, value: 0 | 1): 0 | 1 {
    const byte = Math.floor(offset / 8)
    const mask = 1 << (7 - (offset % 8))
    let entry = ks.read<StringValue>(key, 'string')
    if (entry === undefined) {
      // account for the bytes first: put throws LIMIT_EXCEEDED before the buffer exists
      entry = ks.put(key, 'string', Buffer.alloc(0), byte + 1) as Entry<StringValue>
      entry.value = allocate(byte + 1)
    }
    const bytes = writable(key, entry, byte + 1)
    const previous = (bytes[byte]! & mask) === 0 ? 0 : 1
    bytes[byte] = value === 1 ? bytes[byte]! | mask : bytes[byte]! & ~mask
    return previous
  }

  return {
    setbit,
    getbit: (key, offset) => {
      const entry = ks.read<StringValue>(key, 'string')
      if (entry === undefined) return 0
      const byte = bytesOf(entry.value)[Math.floor(offset / 8)] ?? 0
      return (byte & (1 << (7 - (offset % 8)))) === 0 ? 0 : 1
    },
    bitcount: (key, range) => {
      const entry = ks.read<StringValue>(key, 'string')
      if (entry === undefined) return 0
      const bytes = bytesOf(entry.value)
      return range === undefined ? popcount(bytes, 0, bytes.length - 1) : countRange(bytes, range)
    },
    bitop: (operation, destination, keys) => {
      const sources = keys.map((key) => {
        const entry = ks.read<StringValue>(key, 'string')
        return entry === undefined ? Buffer.alloc(0) : bytesOf(entry.value)
      })
      const length = Math.max(0, ...sources.map((s) => s.length))
      if (length === 0) {
        ks.delete(destination)
        return 0
      }
      const result = combine(operation, sources, length)
      ks.put(destination, 'string', result, length)
      return length
    },
  }
}
