/**
 * npx tsx examples/rate-limit.ts — rate limiting on the embedded memory store (no Redis needed).
 * With REDIS_URL=redis://127.0.0.1:6379 the very same code runs on Redis, through the
 * FailoverStore that createKit builds (decisions on the Redis clock, one round trip each).
 */
import { clientIdentifier, createRateLimit, rateLimitHeaders } from '../src/rate-limit/index.js'
import { createFailoverStore, createMemoryStore, createRedisStore } from '../src/stores/index.js'

const url = process.env.REDIS_URL
const store = url ? createFailoverStore({ primary: createRedisStore(url) }) : createMemoryStore()
const rateLimit = createRateLimit(store, { prefix: `example:${Date.now()}:` })
const show = (label: string, value: unknown) => console.log(`  ${label.padEnd(44)} ${JSON.stringify(value)}`)
console.log(`redis-kit rate limiting — store: ${url ? 'redis (failover)' : 'memory'}\n`)

console.log("The seeds' call: at most 3 messages in any 60 s (an exact sliding window)")
const userId = 'u42'
for (let i = 1; i <= 4; i++) {
  const limit = await rateLimit.check(`chat:${userId}`, 3, 60)
  const { allowed, remaining, retryAfter } = limit
  show(`message ${i}`, { allowed, remaining, retryAfter, resetIn: limit.resetAfter })
}

console.log('\nNamed limiters, one per algorithm (5 per 10 s)')
for (const algorithm of ['sliding', 'gcra', 'token-bucket', 'fixed'] as const) {
  const limiter = rateLimit.define({ name: `demo-${algorithm}`, limit: 5, window: 10, algorithm })
  const answers = []
  for (let i = 0; i < 7; i++) answers.push((await limiter.check('client')).allowed ? '✓' : '✗')
  show(algorithm, answers.join(' '))
}

console.log('\nA weighted request: an LLM call costs its tokens (gcra with a burst)')
const tokens = rateLimit.define({ name: 'tokens', limit: 10_000, window: 60, algorithm: 'gcra', burst: 4000 })
show('3,000 tokens', (await tokens.check('team-a', { cost: 3000 })).remaining)
show('2,000 more (over the burst)', (await tokens.check('team-a', { cost: 2000 })).allowed)
show('peek (charges nothing)', (await tokens.peek('team-a')).remaining)

console.log('\nSeveral limits at once: charged together or not at all')
const limits = [
  { limit: 2, window: 1, name: 'per-second' },
  { limit: 100, window: 86_400, name: 'per-day' },
]
for (let i = 1; i <= 3; i++) {
  const r = await rateLimit.checkAll('api-key-1', limits)
  show(`call ${i}`, { allowed: r.allowed, decidedBy: r.policy, perDay: r.policies?.[1]?.remaining })
}

console.log('\nBlocking, the local block list, and reset')
const login = rateLimit.define({ name: 'login', limit: 5, window: 900 })
await login.block('mallory', 60)
show('mallory tries to log in', await login.check('mallory').then((r) => [r.allowed, r.reason, r.source]))
await login.reset('mallory')
show('after reset', await login.check('mallory').then((r) => [r.allowed, r.source]))

console.log('\nHTTP: who is the client, and the headers to send')
const request = new Request('https://api.example.com/v1/chat', {
  headers: { 'x-forwarded-for': '6.6.6.6, 203.0.113.9' }, // the client wrote 6.6.6.6; our proxy appended
})
const client = clientIdentifier(request, { trustedProxies: 1 }) ?? 'unknown'
show('client behind one trusted proxy', client)
const api = rateLimit.define({ name: 'api', limit: 1, window: 60 })
await api.check(client)
const denied = await api.check(client)
const headers = rateLimitHeaders(denied, { standard: 'draft-8', legacy: true })
for (const [name, value] of headers) show(name, value)

console.log('\nWhen the store is gone: each limiter follows its policy, nothing throws')
const strict = rateLimit.define({ name: 'payments', limit: 10, window: 60, onStoreError: 'closed' })
const lenient = rateLimit.define({ name: 'search', limit: 10, window: 60, onStoreError: 'open' })
const insured = rateLimit.define({ name: 'chat', limit: 10, window: 60, onStoreError: 'local', instances: 2 })
await store.close() // as good as an outage
for (const [label, limiter] of [
  ['closed policy', strict],
  ['open policy', lenient],
  ['local policy (10 / 2 instances)', insured],
] as const) {
  const r = await limiter.check('someone')
  show(label, { allowed: r.allowed, source: r.source, remaining: r.remaining })
}
show('stats', rateLimit.stats())
await rateLimit.close()
