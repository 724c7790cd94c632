/**
 * Memory store: PFADD, PFCOUNT, PFMERGE with Redis's exact algorithm (MurmurHash64A, 16384
 * registers, the Redis 5+ estimator) on Redis's string format, so counts equal Redis's and the
 * bytes can be copied between the two stores in either direction. HLLs are string entries.
 */
import type { HyperLogLogCommands } from '../types.js'
import {
  cacheCardinality,
  cachedCardinality,
  checkHll,
  denseFrom,
  emptyDense,
  getRegister,
  HLL_DENSE_SIZE,
  HLL_P,
  HLL_Q,
  HLL_REGISTERS,
  invalidateCache,
  mergeInto,
  setRegister,
} from './hll-encoding.js'
import type { Entry, Keyspace } from './keyspace.js'
import { murmurHash64A } from './murmur64a.js'
import type { StringValue } from './strings.js'
import type { Sync } from './sync.js'

const SEED = 0xadc83b19
/** HLL_ALPHA_INF (0.721347520444481703680, 0.5/ln 2) as the double the C compiler makes of it. */
const ALPHA_INF = 0.7213475204444817

/** hllPatLen: the register an element falls in and the run length of its hash. */
function patLen(element: string): { index: number; count: number } {
  const { hi, lo } = murmurHash64A(Buffer.from(element, 'utf8'), SEED)
  const index = lo & (HLL_REGISTERS - 1)
  const low = lo >>> HLL_P // hash bits 14..31; hash bits 32..63 are `hi`
  const ctz = (x: number): number => 31 - Math.clz32(x & -x)
  const count = low !== 0 ? ctz(low) + 1 : hi !== 0 ? 32 - HLL_P + ctz(hi) + 1 : HLL_Q + 1
  return { index, count }
}

function sigma(x: number): number {
  if (x === 1) return Number.POSITIVE_INFINITY
  let zPrime: number
  let y = 1
  let z = x
  do {
    x *= x
    zPrime = z
    z += x * y
    y += y
  } while (zPrime !== z)
  return z
}

function tau(x: number): number {
  if (x === 0 || x === 1) return 0
  let zPrime: number
  let y = 1
  let z = 1 - x
  do {
    x = Math.sqrt(x)
    zPrime = z
    y *= 0.5
    const d = 1 - x
    z -= d * d * y
  } while (zPrime !== z)
  return z / 3
}

/** hllCount: the estimate from the histogram of register values. */
function estimate(registerAt: (i: number) => number): number {
  const histogram = new Array<number>(64).fill(0)
  for (let i = 0; i < HLL_REGISTERS; i++) histogram[registerAt(i)]!++
  const m = HLL_REGISTERS
  let z = m * tau((m - histogram[HLL_Q + 1]!) / m)
  for (let j = HLL_Q; j >= 1; j--) {
    z += histogram[j]!
    z *= 0.5
  }
  z += m * sigma(histogram[0]! / m)
  return Math.round((ALPHA_INF * m * m) / z)
}

export function hyperLogLogCommands(ks: Keyspace): Sync<HyperLogLogCommands> {
  const bytesOf = (entry: Entry<StringValue>): Buffer =>
    typeof entry.value === 'string' ? Buffer.from(entry.value) : entry.value

  /** Stores `bytes` as the entry's value (in place: the TTL is kept). */
  function store(key: string, entry: Entry<StringValue>, bytes: Buffer): void {
    entry.value = bytes
    ks.resize(key, entry, bytes.length)
  }

  /** Registers of the union of `keys` (missing keys are empty HLLs). */
  function union(keys: readonly string[]): Uint8Array {
    const max = new Uint8Array(HLL_REGISTERS)
    for (const key of keys) {
      const entry = ks.read<StringValue>(key, 'string')
      if (entry === undefined) continue
      const bytes = bytesOf(entry)
      mergeInto(max, bytes, checkHll(bytes))
    }
    return max
  }

  function add(bytes: Buffer, elements: readonly string[]): boolean {
    let updated = false
    for (const element of elements) {
      const { index, count } = patLen(element)
      if (count > getRegister(bytes, index)) {
        setRegister(bytes, index, count)
        updated = true
      }
    }
    return updated
  }

  return {
    pfadd: (key, elements) => {
      const entry = ks.read<StringValue>(key, 'string')
      if (entry === undefined) {
        const bytes = emptyDense()
        add(bytes, elements)
        invalidateCache(bytes)
        ks.put(key, 'string', bytes, bytes.length)
        return true
      }
      const current = bytesOf(entry)
      if (checkHll(current)) {
        if (!add(current, elements)) return false
        invalidateCache(current)
        store(key, entry, current)
        return true
      }
      // sparse: decode, and only rewrite (as dense) when a register changes
      const registers = new Uint8Array(HLL_REGISTERS)
      mergeInto(registers, current, false)
      const dense = denseFrom(registers, current)
      if (!add(dense, elements)) return false
      invalidateCache(dense)
      store(key, entry, dense)
      return true
    },
    pfcount: (keys) => {
      if (keys.length > 1) {
        const max = union(keys)
        return estimate((i) => max[i]!)
      }
      const key = keys[0]!
      const entry = ks.read<StringValue>(key, 'string')
      if (entry === undefined) return 0
      const bytes = bytesOf(entry)
      const dense = checkHll(bytes)
      const cached = cachedCardinality(bytes)
      if (cached !== undefined) return cached
      let count: number
      if (dense) count = estimate((i) => getRegister(bytes, i))
      else {
        const registers = new Uint8Array(HLL_REGISTERS)
        mergeInto(registers, bytes, false)
        count = estimate((i) => registers[i]!)
      }
      // like Redis, PFCOUNT writes the cardinality it computed back into the header
      cacheCardinality(bytes, count)
      store(key, entry, bytes)
      return count
    },
    pfmerge: (destination, sources) => {
      // Redis merges the destination's own registers too (it is the first key of PFMERGE)
      const max = union([destination, ...sources])
      const entry = ks.read<StringValue>(destination, 'string')
      const bytes = denseFrom(max, entry === undefined ? undefined : bytesOf(entry))
      invalidateCache(bytes)
      if (entry === undefined) ks.put(destination, 'string', bytes, HLL_DENSE_SIZE)
      else store(destination, entry, bytes)
    },
  }
}
