/** A plain RedisStore on the test server, to look at what the plugin wrote (keys, TTLs). */
import { createRedisStore, type Store } from 'redis-kit'

export function rawStore(url: string): Store {
  return createRedisStore({ url })
}

export async function keysMatching(store: Store, match: string): Promise<string[]> {
  const keys: string[] = []
  for await (const batch of store.scan({ match, count: 500 })) keys.push(...batch)
  return keys.sort()
}
