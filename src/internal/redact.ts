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

/** util.inspect's hook: objects that hold credentials print this instead of their fields. */
export const INSPECT = Symbol.for('nodejs.util.inspect.custom')

/** `host:port` of an ioredis client (or the first cluster node), never its credentials. */
export function addressOf(client: object): string {
  const c = client as { options?: unknown; startupNodes?: unknown }
  const o = (c.options ?? {}) as { host?: string; port?: number }
  const nodes = c.startupNodes as { host?: string; port?: number }[] | undefined
  const first = Array.isArray(nodes) && nodes.length > 0 ? nodes[0]! : o
  return `${first.host ?? '127.0.0.1'}:${first.port ?? 6379}${Array.isArray(nodes) && nodes.length > 1 ? ` (+${nodes.length - 1} nodes)` : ''}`
}
