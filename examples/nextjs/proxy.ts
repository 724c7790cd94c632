// Next 16's proxy (formerly middleware; always the Node.js runtime, so it can use Redis): the
// /api/redis/* endpoints are rate limited per client address, PROXY_RATE_LIMIT per minute.
import { type NextRequest, NextResponse } from 'next/server'
import { clientIdentifier, type RateLimiter, rateLimitHeaders } from 'redis-kit'
import { getKit } from './lib/kit.mjs'

/** Proxies in front of the app that append the client's address to X-Forwarded-For. */
const TRUSTED_PROXIES = Number(process.env.TRUSTED_PROXIES ?? 1)
const LIMITER = Symbol.for('redis-kit.example.nextjs.proxyLimiter')

function limiter(): RateLimiter {
  const scope = globalThis as unknown as Record<symbol, RateLimiter | undefined>
  scope[LIMITER] ??= getKit().rateLimit.define({
    name: 'api',
    limit: Number(process.env.PROXY_RATE_LIMIT ?? 300),
    window: '1m', // exact sliding window: at most `limit` in any minute
    onStoreError: 'open', // a read-only API: keep answering while Redis is down
  })
  return scope[LIMITER]
}

export async function proxy(request: NextRequest): Promise<NextResponse> {
  // Fetch requests carry no socket address: the client is what the trusted proxies in front of the
  // app recorded in X-Forwarded-For. `next start` only fills that header when it is absent, so an
  // app exposed without a proxy in front lets clients choose their address: deploy behind one.
  const client = clientIdentifier(request, { trustedProxies: TRUSTED_PROXIES }) ?? 'unknown'
  const result = await limiter().check(client)
  const headers = rateLimitHeaders(result)
  if (!result.allowed) return new NextResponse('Too Many Requests', { status: 429, headers })
  const response = NextResponse.next()
  headers.forEach((value, name) => {
    response.headers.set(name, value)
  })
  return response
}

export const config = { matcher: '/api/redis/:path*' }
