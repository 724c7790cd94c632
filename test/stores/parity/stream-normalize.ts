/**
 * What stream replies may differ in between two stores without either being wrong: ids that `*`
 * took from each store's clock (a few ms apart between the runs) and idle times (time passes).
 * Both become placeholders; everything else is compared exactly.
 */

const DAY = 86_400_000
const ID = /^(\d{12,14})-\d+$/

function isClockId(value: string): boolean {
  const m = ID.exec(value)
  return m !== null && Math.abs(Number(m[1]) - Date.now()) < DAY
}

export function normalizeStreamReply(value: unknown): unknown {
  if (typeof value === 'string') return isClockId(value) ? '<clock id>' : value
  if (Array.isArray(value)) return value.map(normalizeStreamReply)
  if (value === null || typeof value !== 'object' || Buffer.isBuffer(value)) return value
  const out: Record<string, unknown> = Object.create(Object.getPrototypeOf(value))
  for (const [k, v] of Object.entries(value)) out[k] = k === 'idleMs' ? '<idle>' : normalizeStreamReply(v)
  return out
}
