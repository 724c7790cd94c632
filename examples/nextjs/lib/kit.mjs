// One kit per server process. Route handlers, proxy.ts and the cache handlers are bundled (or
// loaded) separately by Next.js, so the kit lives on globalThis under a registered symbol: every
// copy of this module in the process gets the same kit, and therefore one Redis connection.
import { createKit } from 'redis-kit'

const KIT = Symbol.for('redis-kit.example.nextjs.kit')

/** @returns {import('redis-kit').Kit} */
export function getKit() {
  const scope = /** @type {Record<symbol, import('redis-kit').Kit | undefined>} */ (globalThis)
  let kit = scope[KIT]
  if (!kit) {
    // `next build` prerenders pages and runs the cache handlers: it must not need Redis. During
    // the build the kit runs on the embedded memory store; at runtime Redis comes from REDIS_URL
    // (or REDIS_HOST/REDIS_PORT), with the memory store as the fallback while Redis is down.
    const building = process.env.NEXT_PHASE === 'phase-production-build'
    kit = createKit({
      prefix: process.env.REDIS_KEY_PREFIX ?? 'nextjs:',
      ...(building ? { redis: false } : {}),
    })
    kit.on('failover', () => console.warn('[redis-kit] Redis unavailable: serving from memory'))
    kit.on('recovered', () => console.warn('[redis-kit] Redis is back'))
    scope[KIT] = kit
  }
  return kit
}
