/**
 * The byte size of Redis's listpack encoding, for the stream nodes of the memory store. Redis
 * starts a new stream node (a radix-tree leaf holding one listpack) when the current one holds
 * 100 entries or would reach 4096 bytes, and approximate trimming (`~`) removes whole nodes only:
 * to trim exactly where Redis trims, the memory store sizes its nodes as Redis encodes them.
 *
 * An element is its encoding plus a back-length: integers (strings that parse as int64
 * strictly are stored as integers) take 1 to 9 bytes, strings 1, 2 or 5 bytes of header.
 */

/** stream-node-max-entries and stream-node-max-bytes, Redis's defaults. */
export const NODE_MAX_ENTRIES = 100
export const NODE_MAX_BYTES = 4096
/** A listpack's header (total bytes, element count) and end byte. */
export const LISTPACK_EMPTY = 7

const INT64_MIN = -(2n ** 63n)
const INT64_MAX = 2n ** 63n - 1n
const STRICT_INTEGER = /^(0|-?[1-9][0-9]{0,19})$/

function backlen(encoded: number): number {
  if (encoded <= 127) return 1
  if (encoded < 16383) return 2
  if (encoded < 2097151) return 3
  if (encoded < 268435455) return 4
  return 5
}

/** The size of an integer element. */
export function intSize(v: bigint | number): number {
  const n = typeof v === 'bigint' ? v : BigInt(v)
  let encoded: number
  if (n >= 0n && n <= 127n) encoded = 1
  else if (n >= -4096n && n <= 4095n) encoded = 2
  else if (n >= -32768n && n <= 32767n) encoded = 3
  else if (n >= -8388608n && n <= 8388607n) encoded = 4
  else if (n >= -2147483648n && n <= 2147483647n) encoded = 5
  else encoded = 9
  return encoded + backlen(encoded)
}

/** The integer a listpack stores a string as (Redis's string2ll rules), or undefined. */
function asInteger(text: string): bigint | undefined {
  if (!STRICT_INTEGER.test(text)) return undefined
  const n = BigInt(text)
  return n >= INT64_MIN && n <= INT64_MAX ? n : undefined
}

/** The size of a string element of `bytes` bytes, or of the integer it parses as. */
export function stringSize(text: string, bytes: number): number {
  if (bytes <= 21) {
    const n = asInteger(text)
    if (n !== undefined) return intSize(n)
  }
  const encoded = bytes < 64 ? 1 + bytes : bytes < 4096 ? 2 + bytes : 5 + bytes
  return encoded + backlen(encoded)
}
