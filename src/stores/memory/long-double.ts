/**
 * INCRBYFLOAT as Redis computes it on x86-64: both operands parsed like strtold into 80-bit x87
 * long doubles (64-bit mantissa, round to nearest even, subnormals down to 2^-16445), added in that
 * precision, and printed as ld2string(LD_STR_HUMAN): "%.17Lf" with trailing zeros removed. Every
 * step is exact BigInt arithmetic on value = ±mantissa × 2^exponent, so results match bit for bit.
 */
import { RedisKitError } from '../../errors.js'

/** A finite long double: (-1)^negative × mantissa × 2^exponent, mantissa < 2^64. */
interface LongDouble {
  negative: boolean
  mantissa: bigint
  exponent: number
}

type Parsed = LongDouble | 'inf' | 'invalid'

const MANTISSA_BITS = 64
/** Exponent of the least significant mantissa bit of the smallest subnormal. */
const MIN_EXPONENT = -16445
/** Largest exponent for which a 64-bit mantissa stays below 2^16384. */
const MAX_EXPONENT = 16384 - MANTISSA_BITS
/** string2ld rejects strings of MAX_LONG_DOUBLE_CHARS (5 KiB) or more. */
const MAX_CHARS = 5 * 1024
/** Exponents written in the text are clamped to this (the result over- or underflows anyway). */
const EXPONENT_CLAMP = 100_000
/** Values beyond 10^±5000 (2^±16500) certainly overflow or underflow a long double. */
const DECIMAL_RANGE = 5000
const BINARY_RANGE = 16500
const FRACTION_DIGITS = 17
const TEN_TO_FRACTION = 10n ** BigInt(FRACTION_DIGITS)

const DECIMAL = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/
const HEX = /^([+-]?)0[xX]([0-9a-fA-F]*)(?:\.([0-9a-fA-F]*))?(?:[pP]([+-]?\d+))?$/
const INFINITY = /^[+-]?(inf|infinity)$/i

function notFloat(): RedisKitError {
  return new RedisKitError('NOT_FLOAT', 'ERR value is not a valid float')
}

function bitLength(n: bigint): number {
  return n === 0n ? 0 : n.toString(2).length
}

/** The quotient num/den (both > 0) rounded half-even to an integer. */
function divideRounded(num: bigint, den: bigint): bigint {
  const q = num / den
  const twice = (num % den) * 2n
  return twice > den || (twice === den && (q & 1n) === 1n) ? q + 1n : q
}

/** Rounds the exact value ±num/den × 2^shift to the nearest long double (ties to even). */
function round(negative: boolean, num: bigint, den: bigint, shift: number): LongDouble | 'inf' {
  if (num === 0n) return { negative, mantissa: 0n, exponent: 0 }
  // value = num/den × 2^shift; pick exponent k so that value / 2^k has 64 integer bits
  let k = bitLength(num) - bitLength(den) + shift - MANTISSA_BITS
  const scaled = (e: number): bigint => {
    const s = e - shift
    return s >= 0 ? divideRounded(num, den << BigInt(s)) : divideRounded(num << BigInt(-s), den)
  }
  const truncated = (e: number): bigint => {
    const s = e - shift
    return s >= 0 ? num / (den << BigInt(s)) : (num << BigInt(-s)) / den
  }
  if (truncated(k) >= 1n << BigInt(MANTISSA_BITS)) k++
  if (k < MIN_EXPONENT) k = MIN_EXPONENT
  let mantissa = scaled(k)
  if (mantissa === 1n << BigInt(MANTISSA_BITS)) {
    mantissa >>= 1n
    k++
  }
  if (k > MAX_EXPONENT) return 'inf'
  return { negative, mantissa, exponent: mantissa === 0n ? 0 : k }
}

function clampExponent(text: string | undefined): number {
  if (text === undefined) return 0
  const n = Number(text)
  return Math.max(-EXPONENT_CLAMP, Math.min(EXPONENT_CLAMP, n))
}

/** Parses like Redis's string2ld (strtold, then reject spaces, trailing junk, NaN, overflow). */
function parse(input: string): Parsed {
  // string2ld also requires strtold to consume every byte, so an embedded NUL is rejected
  if (input.length === 0 || input.includes('\0') || Buffer.byteLength(input) >= MAX_CHARS) return 'invalid'
  const text = input
  if (INFINITY.test(text)) return 'inf'
  const hex = HEX.exec(text)
  if (hex) {
    const [, sign, int = '', frac = ''] = hex
    if (int === '' && frac === '') return 'invalid'
    const digits = BigInt(`0x0${int}${frac}`)
    if (digits === 0n) return { negative: sign === '-', mantissa: 0n, exponent: 0 }
    const shift = clampExponent(hex[4]) - 4 * frac.length
    const magnitude = bitLength(digits) + shift
    if (Math.abs(magnitude) > BINARY_RANGE) return 'invalid'
    return finishParse(round(sign === '-', digits, 1n, shift), digits)
  }
  const dec = DECIMAL.exec(text)
  if (!dec) return 'invalid'
  const [, sign, int = '', frac = ''] = dec
  if (int === '' && frac === '') return 'invalid'
  const all = `${int}${frac}`.replace(/^0+/, '')
  if (all === '') return { negative: sign === '-', mantissa: 0n, exponent: 0 }
  const exp10 = clampExponent(dec[4]) - frac.length
  const magnitude = exp10 + all.length
  if (Math.abs(magnitude) > DECIMAL_RANGE) return 'invalid'
  const digits = BigInt(all)
  const exact =
    exp10 >= 0
      ? round(sign === '-', digits * 10n ** BigInt(exp10), 1n, 0)
      : round(sign === '-', digits, 10n ** BigInt(-exp10), 0)
  return finishParse(exact, digits)
}

/** Overflow (ERANGE, ±HUGE_VAL) and underflow to zero (ERANGE, 0) are both rejected by string2ld. */
function finishParse(value: LongDouble | 'inf', digits: bigint): Parsed {
  if (value === 'inf') return 'invalid'
  if (value.mantissa === 0n && digits !== 0n) return 'invalid'
  return value
}

function add(a: LongDouble, b: LongDouble): LongDouble | 'inf' {
  const e = Math.min(a.exponent, b.exponent)
  const signed = (x: LongDouble): bigint => {
    const m = x.mantissa << BigInt(x.exponent - e)
    return x.negative ? -m : m
  }
  const sum = signed(a) + signed(b)
  return round(sum < 0n, sum < 0n ? -sum : sum, 1n, e)
}

/** snprintf("%.17Lf") (exact, ties to even), then Redis's trailing-zero and "-0" clean-up. */
function format(value: LongDouble): string {
  const { mantissa, exponent } = value
  const scaled =
    exponent >= 0
      ? (mantissa << BigInt(exponent)) * TEN_TO_FRACTION
      : divideRounded(mantissa * TEN_TO_FRACTION, 1n << BigInt(-exponent))
  const digits = scaled.toString().padStart(FRACTION_DIGITS + 1, '0')
  const whole = digits.slice(0, -FRACTION_DIGITS)
  const fraction = digits.slice(-FRACTION_DIGITS).replace(/0+$/, '')
  const text = `${value.negative ? '-' : ''}${whole}${fraction === '' ? '' : `.${fraction}`}`
  return text === '-0' ? '0' : text
}

/** current + increment as Redis's INCRBYFLOAT stores it; throws NOT_FLOAT as Redis errs. */
export function addLongDouble(current: string, increment: string): string {
  const a = parse(current)
  const b = parse(increment)
  if (a === 'invalid' || b === 'invalid') throw notFloat()
  const sum = a === 'inf' || b === 'inf' ? 'inf' : add(a, b)
  if (sum === 'inf') throw new RedisKitError('NOT_FLOAT', 'ERR increment would produce NaN or Infinity')
  return format(sum)
}
