/** Removes credentials from URLs and option objects before they reach a message or a log. */

const URL_CREDENTIALS = /(rediss?:\/\/)([^@/\s]*)@/gi

/** `redis://user:secret@host:6379` → `redis://user:***@host:6379` (in any text). */
export function redact(text: string): string {
  return text.replace(URL_CREDENTIALS, (_m, scheme: string, userinfo: string) => {
    const colon = userinfo.indexOf(':')
    const user = colon === -1 ? '' : userinfo.slice(0, colon)
    return `${scheme}${user ? `${user}:` : ':'}***@`
  })
}

const SECRET_FIELDS = new Set(['password', 'pass', 'secret', 'token', 'key', 'keys', 'encryptionKey'])

/** A copy of an options object fit for logs: secrets replaced by '***', URLs redacted. */
export function redactOptions(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return redact(value)
  if (depth > 4 || typeof value !== 'object' || value === null) return value
  if (Array.isArray(value)) return value.map((v) => redactOptions(v, depth + 1))
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(value)) {
    out[k] = SECRET_FIELDS.has(k) && v !== undefined ? '***' : redactOptions(v, depth + 1)
  }
  return out
}
