/** Stream ids (`<ms>-<seq>`, two unsigned 64-bit numbers) compared as numbers. */

function parts(id: string): [bigint, bigint] {
  const dash = id.indexOf('-')
  if (dash === -1) return [BigInt(id), 0n]
  return [BigInt(id.slice(0, dash)), BigInt(id.slice(dash + 1))]
}

/** Negative when `a` comes before `b`, 0 when equal, positive after. */
export function compareIds(a: string, b: string): number {
  if (a === b) return 0
  const [am, as] = parts(a)
  const [bm, bs] = parts(b)
  if (am !== bm) return am < bm ? -1 : 1
  return as === bs ? 0 : as < bs ? -1 : 1
}

const ID = /^(0|[1-9][0-9]{0,19})(-(0|[1-9][0-9]{0,19}))?$/

/** Whether `id` is a stream id the kit accepts (`<ms>` or `<ms>-<seq>`, canonical decimals). */
export function isStreamId(id: unknown): id is string {
  return typeof id === 'string' && ID.test(id) && BigInt(id.split('-')[0]!) < 2n ** 64n
}
