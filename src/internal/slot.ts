/**
 * Redis Cluster key slots: CRC16 (XMODEM) of the key, or of its hash tag, modulo 16384.
 * Used to split batches per slot and to reject scripts whose keys would fail with CROSSSLOT.
 */

const TABLE = new Uint16Array(256)
for (let i = 0; i < 256; i++) {
  let crc = i << 8
  for (let j = 0; j < 8; j++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff
  TABLE[i] = crc
}

/** One byte into a CRC16 (XMODEM). */
const step = (crc: number, byte: number) => ((crc << 8) & 0xffff) ^ TABLE[((crc >> 8) ^ byte) & 0xff]!

function crc16(bytes: Uint8Array, start: number, end: number): number {
  let crc = 0
  for (let i = start; i < end; i++) crc = step(crc, bytes[i]!)
  return crc
}

/**
 * The cluster slot (0-16383) a key maps to, honouring `{hash tags}` as Redis does (on the key's
 * UTF-8 bytes). A string whose hashed part is ASCII is hashed from its char codes, which are then
 * its bytes, without encoding it (every multi-key call checks its keys' slots). '{' and '}' never
 * occur inside a UTF-8 multi-byte sequence, so the tag is found at the same place either way.
 */
export function keySlot(key: string | Buffer): number {
  if (typeof key !== 'string') return bytesSlot(key)
  let start = 0
  let end = key.length
  const open = key.indexOf('{')
  if (open !== -1) {
    const close = key.indexOf('}', open + 1)
    if (close > open + 1) {
      start = open + 1
      end = close
    }
  }
  let crc = 0
  for (let i = start; i < end; i++) {
    const c = key.charCodeAt(i)
    if (c > 0x7f) return bytesSlot(Buffer.from(key)) // not ASCII: hash the UTF-8 bytes
    crc = step(crc, c)
  }
  return crc & 16383
}

/** Whether every key maps to one slot (what a multi-key command or a script needs on a cluster). */
export function sameSlot(keys: readonly string[]): boolean {
  if (keys.length < 2) return true
  const slot = keySlot(keys[0]!)
  for (let i = 1; i < keys.length; i++) if (keySlot(keys[i]!) !== slot) return false
  return true
}

function bytesSlot(bytes: Uint8Array): number {
  const open = bytes.indexOf(0x7b) // '{'
  if (open !== -1) {
    const close = bytes.indexOf(0x7d, open + 1) // '}'
    if (close > open + 1) return crc16(bytes, open + 1, close) & 16383
  }
  return crc16(bytes, 0, bytes.length) & 16383
}

/** Groups items by the slot of their key, keeping each group's original positions. */
export function groupBySlot<T>(items: readonly T[], keyOf: (item: T) => string): Map<number, number[]> {
  const groups = new Map<number, number[]>()
  items.forEach((item, index) => {
    const slot = keySlot(keyOf(item))
    const group = groups.get(slot)
    if (group) group.push(index)
    else groups.set(slot, [index])
  })
  return groups
}
