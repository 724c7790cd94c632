/**
 * MurmurHash64A exactly as Redis's hyperloglog.c computes it on a little-endian machine, with
 * 64-bit words held as two unsigned 32-bit halves (BigInt would be an order of magnitude slower).
 */

/** A 64-bit unsigned integer as its high and low 32-bit halves. */
export interface U64 {
  hi: number
  lo: number
}

const M_HI = 0xc6a4a793
const M_LO = 0x5bd1e995
const R = 47

/** (a × b) mod 2^64 for 32-bit halves. */
function mul(aHi: number, aLo: number, bHi: number, bLo: number): U64 {
  const a0 = aLo & 0xffff
  const a1 = aLo >>> 16
  const b0 = bLo & 0xffff
  const b1 = bLo >>> 16
  const low = a0 * b0
  const mid = a1 * b0 + a0 * b1 + Math.floor(low / 0x10000) // < 2^34: exact in a double
  const lo = ((mid & 0xffff) * 0x10000 + (low & 0xffff)) >>> 0
  const carry = Math.floor(mid / 0x10000) + a1 * b1
  const hi = (carry + Math.imul(aHi, bLo) + Math.imul(aLo, bHi)) >>> 0
  return { hi, lo }
}

/** x ^ (x >> 47) for a 64-bit x. */
function mix(h: U64): U64 {
  return { hi: h.hi, lo: (h.lo ^ (h.hi >>> (R - 32))) >>> 0 }
}

/** MurmurHash64A(data, seed) with a 32-bit seed, as Redis uses it for HyperLogLog. */
export function murmurHash64A(data: Uint8Array, seed: number): U64 {
  const len = data.length
  // h = seed ^ (len * m)
  const lm = mul(0, len >>> 0, M_HI, M_LO)
  let h: U64 = { hi: lm.hi, lo: (lm.lo ^ seed) >>> 0 }
  const blocks = len - (len & 7)
  for (let i = 0; i < blocks; i += 8) {
    const kLo = (data[i]! | (data[i + 1]! << 8) | (data[i + 2]! << 16) | (data[i + 3]! << 24)) >>> 0
    const kHi = (data[i + 4]! | (data[i + 5]! << 8) | (data[i + 6]! << 16) | (data[i + 7]! << 24)) >>> 0
    let k = mul(kHi, kLo, M_HI, M_LO)
    k = mix(k)
    k = mul(k.hi, k.lo, M_HI, M_LO)
    h = mul((h.hi ^ k.hi) >>> 0, (h.lo ^ k.lo) >>> 0, M_HI, M_LO)
  }
  const rest = len & 7
  if (rest > 0) {
    let tHi = 0
    let tLo = 0
    for (let j = rest - 1; j >= 0; j--) {
      const byte = data[blocks + j]!
      if (j >= 4) tHi |= byte << ((j - 4) * 8)
      else tLo |= byte << (j * 8)
    }
    h = mul((h.hi ^ tHi) >>> 0, (h.lo ^ tLo) >>> 0, M_HI, M_LO)
  }
  h = mix(h)
  h = mul(h.hi, h.lo, M_HI, M_LO)
  return mix(h)
}
