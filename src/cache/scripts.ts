/**
 * The cache's scripts (Lua for Redis, a JavaScript twin for the memory store). Each touches one
 * key, so each is Cluster-safe. Those of cache writes and leases are not durable (never replayed
 * to Redis after an outage); invalidations are, and publish on the bus from inside the script.
 */
import { defineScript } from '../stores/define-script.js'

/**
 * The version of a tag, creating it (ARGV[1], for ARGV[2] ms) when the tag has none, else
 * extending its life to at least ARGV[2] ms (PEXPIRE GT: a tag must outlive its entries).
 */
export const ensureTag = defineScript({
  name: 'cache-ensure-tag',
  keys: ['tag'],
  lua: `local v = redis.call('GET', KEYS[1])
if not v then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return ARGV[1]
end
redis.call('PEXPIRE', KEYS[1], ARGV[2], 'GT')
return v`,
  run: (redis, [tag], [token, px]) => {
    const v = redis.get(tag!)
    if (v === null) {
      redis.set(tag!, token!, { px: Number(px) })
      return token!
    }
    redis.pexpire(tag!, Number(px), 'GT')
    return v
  },
  durable: false,
  idempotent: true,
})

/** Deletes the lease only if it still holds our token (1 when deleted). */
export const releaseLease = defineScript({
  name: 'cache-release-lease',
  keys: ['lease'],
  lua: `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`,
  run: (redis, [lease], [token]) => (redis.get(lease!) === token ? redis.del([lease!]) : 0),
  durable: false,
  idempotent: true,
})

/** Extends the lease to ARGV[2] ms only if it still holds our token (1 when extended). */
export const renewLease = defineScript({
  name: 'cache-renew-lease',
  keys: ['lease'],
  lua: `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0`,
  run: (redis, [lease], [token, px]) =>
    redis.get(lease!) === token ? (redis.pexpire(lease!, Number(px)) ? 1 : 0) : 0,
  durable: false,
  idempotent: true,
})

/**
 * Deletes a value and publishes the bus message in the same atomic step. Durable: replayed after
 * an outage, so the other processes hear about a delete made while Redis was down.
 */
export const deleteAndNotify = defineScript({
  name: 'cache-delete-notify',
  keys: ['value'],
  lua: `local n = redis.call('DEL', KEYS[1])
redis.call('PUBLISH', ARGV[1], ARGV[2])
return n`,
  run: (redis, [value], [channel, message]) => {
    const n = redis.del([value!])
    redis.publish(channel!, message!)
    return n
  },
  idempotent: true,
})

/** Gives a tag a new version (ARGV[1], kept ARGV[2] ms) and publishes the bus message. Durable. */
export const invalidateTag = defineScript({
  name: 'cache-invalidate-tag',
  keys: ['tag'],
  lua: `redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
redis.call('PUBLISH', ARGV[3], ARGV[4])
return 1`,
  run: (redis, [tag], [token, px, channel, message]) => {
    redis.set(tag!, token!, { px: Number(px) })
    redis.publish(channel!, message!)
    return 1
  },
  idempotent: true,
})

/**
 * Takes the lease of a value (SET NX PX). 0: another process holds it; 1: taken, no value;
 * 2: taken, but a value is there (written since the caller's read). No value crosses the script,
 * so binary values stay byte-exact on every store.
 */
export const takeLease = defineScript({
  name: 'cache-take-lease',
  keys: ['lease', 'value'],
  lua: `if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then
  return redis.call('EXISTS', KEYS[2]) + 1
end
return 0`,
  run: (redis, [lease, value], [token, px]) =>
    redis.set(lease!, token!, { nx: true, px: Number(px) }) ? redis.exists([value!]) + 1 : 0,
  durable: false,
  idempotent: true,
})
