// A cached page: 'use cache' with cacheTag('greeting'), stored by cache-handlers/use-cache.mjs in
// Redis. POST /api/revalidate { tag: 'greeting' } regenerates it on every instance.
import { cacheLife, cacheTag } from 'next/cache'

async function greeting(): Promise<{ renderedAt: string; token: string }> {
  'use cache'
  cacheTag('greeting')
  cacheLife('hours')
  return { renderedAt: new Date().toISOString(), token: crypto.randomUUID() }
}

export default async function CachedPage() {
  const { renderedAt, token } = await greeting()
  return (
    <main>
      <h1>A cached page</h1>
      <p>
        Rendered at <time id="rendered-at">{renderedAt}</time>, token <code id="token">{token}</code>.
      </p>
      <p>It stays the same until the tag “greeting” is revalidated.</p>
    </main>
  )
}
