/**
 * A short hash tag for every cluster slot: `{slotTag(s)}` hashes to slot s. Lets the kit put a
 * bookkeeping key (an operation log) in the same slot as any user key, so that one script can
 * touch both on Redis Cluster. The table is built once, on first use (~160k CRCs, a few ms).
 */
import { keySlot } from './slot.js'

let table: string[] | undefined

function build(): string[] {
  const tags = new Array<string>(16384)
  let filled = 0
  for (let n = 0; filled < 16384; n++) {
    const candidate = n.toString(36)
    const slot = keySlot(candidate)
    if (tags[slot] === undefined) {
      tags[slot] = candidate
      filled++
    }
  }
  return tags
}

/** A tag string whose CRC16 maps to `slot` (0-16383). */
export function slotTag(slot: number): string {
  table ??= build()
  return table[slot]!
}

/** A key in the same cluster slot as `key`: `{tag}` + suffix. */
export function keyInSlotOf(key: string, suffix: string): string {
  return `{${slotTag(keySlot(key))}}${suffix}`
}
