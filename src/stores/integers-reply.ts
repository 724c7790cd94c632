/**
 * Integers in one string, ':'-joined ('1:1795475183569:-3'): how the kit's scripts that answer
 * only integers reply. A client decodes one bulk string far faster than an array of integers
 * (measured on ioredis 6 with 200 calls in flight: 17–50% more calls per second for a five-integer
 * reply, with less CPU on both sides), and Redis writes it faster too. Lua builds it with
 * string.format('%d'), which truncates toward zero as Redis's own reply conversion does; the
 * JavaScript twins build it with `integersReply`.
 */

/** The twin's side: the values truncated toward zero, as Lua's '%d' prints them. */
export function integersReply(...values: number[]): string {
  let out = ''
  for (let i = 0; i < values.length; i++) {
    if (i > 0) out += ':'
    out += String(Math.trunc(values[i]!) + 0) // + 0: -0 prints as 0, as in Lua
  }
  return out
}

/** The integers of such a reply. */
export function parseIntegers(reply: string): number[] {
  const out: number[] = []
  let n = 0
  let sign = 1
  for (let i = 0; i < reply.length; i++) {
    const c = reply.charCodeAt(i)
    if (c === 58) {
      out.push(sign * n)
      n = 0
      sign = 1
    } else if (c === 45) sign = -1
    else n = n * 10 + c - 48
  }
  out.push(sign * n)
  return out
}
