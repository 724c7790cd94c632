/**
 * Redis's HyperLogLog arithmetic (hyperloglog.c): hllPatLen maps an element to a register and a
 * run length with MurmurHash64A, and hllCount's estimator (Redis 5+, Ertl's improved raw
 * estimator) turns the 16384 registers into a cardinality — the same doubles, the same count.
 */
import { HLL_P, HLL_Q, HLL_REGISTERS } from './hll-encoding.js'
import { murmurHash64A } from './murmur64a.js'

const SEED = 0xadc83b19
/** HLL_ALPHA_INF (0.721347520444481703680, 0.5/ln 2) as the double the C compiler makes of it. */
const ALPHA_INF = 0.7213475204444817

/** hllPatLen: the register an element falls in and the run length of its hash. */
export function patLen(element: string): { index: number; count: number } {
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
export function estimate(registers: Uint8Array): number {
  const histogram = new Array<number>(64).fill(0)
  for (let i = 0; i < HLL_REGISTERS; i++) histogram[registers[i]!]!++
  const m = HLL_REGISTERS
  let z = m * tau((m - histogram[HLL_Q + 1]!) / m)
  for (let j = HLL_Q; j >= 1; j--) {
    z += histogram[j]!
    z *= 0.5
  }
  z += m * sigma(histogram[0]! / m)
  return Math.round((ALPHA_INF * m * m) / z)
}
