/**
 * Scripts of bucketed trending: a bump (ZINCRBY into the current time bucket and its expiry, one
 * counted write), and a read that unions the window's buckets into a briefly cached sorted set
 * only when that cache is missing, then reads its top: the union (tens of milliseconds for 24
 * buckets of 50k members) runs at most once per cache period, whatever the number of callers.
 */
import { defineScript } from '../stores/define-script.js'
import type { Script } from '../stores/types.js'

/**
 * Increments `member` in one bucket and sets the bucket's expiry (both in one atomic step, so a
 * bucket never lives forever). Counted once through a FailoverStore (guarded, journaled).
 * KEYS: bucket. ARGV: increment, member, ttl in ms.
 */
export const bumpBucket = defineScript<null>({
  name: 'trending:bump',
  keys: ['bucket'],
  lua: `redis.call('ZINCRBY', KEYS[1], ARGV[1], ARGV[2])
redis.call('PEXPIRE', KEYS[1], ARGV[3])`,
  run: (redis, [bucket], [by, member, ttl]) => {
    redis.zincrby(bucket!, Number(by), member!)
    redis.pexpire(bucket!, Number(ttl))
    return null
  },
})

const trimZeros = (s: string) => (s.includes('.') ? s.replace(/\.?0+$/, '') : s)

/**
 * A double as Redis 7.0 hands it to Lua (ZRANGE … WITHSCORES): printf "%.17g". Newer versions
 * may print the shortest form instead; the client parses either to the same number.
 */
export function formatDouble(n: number): string {
  if (n === Number.POSITIVE_INFINITY) return 'inf'
  if (n === Number.NEGATIVE_INFINITY) return '-inf'
  if (n === 0) return Object.is(n, -0) ? '-0' : '0'
  const [digits, exponentText] = n.toExponential(16).split('e') as [string, string]
  const exponent = Number(exponentText)
  if (exponent < -4 || exponent >= 17) {
    return `${trimZeros(digits)}e${exponent < 0 ? '-' : '+'}${String(Math.abs(exponent)).padStart(2, '0')}`
  }
  return trimZeros(n.toFixed(16 - exponent))
}

const UNION_TOP_LUA = `local computed = 0
if redis.call('EXISTS', KEYS[1]) == 0 then
  local args = {'ZUNIONSTORE', KEYS[1], #KEYS - 1}
  for i = 2, #KEYS do args[#args + 1] = KEYS[i] end
  args[#args + 1] = 'WEIGHTS'
  for i = 3, #ARGV do args[#args + 1] = ARGV[i] end
  if redis.call(unpack(args)) > 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
  computed = 1
end
local top = redis.call('ZRANGE', KEYS[1], 0, tonumber(ARGV[2]) - 1, 'REV', 'WITHSCORES')
table.insert(top, 1, computed)
return top`

const unionTops = new Map<number, Script<(string | number)[]>>()

/**
 * Reads the top `n` of the union of `buckets` buckets, weighted (the oldest one by the part of it
 * still inside the window), cached in KEYS[1] for ARGV[1] ms: [computed 0|1, member, score, …].
 * A cache, not data: never journaled. One script per bucket count (the same Lua and SHA).
 * KEYS: union, ...buckets (oldest first). ARGV: cache ms, n, ...weights.
 */
export function unionTop(buckets: number): Script<(string | number)[]> {
  let script = unionTops.get(buckets)
  if (script) return script
  const keys = ['union']
  for (let i = 1; i <= buckets; i++) keys.push(`bucket${i}`)
  script = defineScript<(string | number)[]>({
    name: `trending:top/${buckets}`,
    keys,
    durable: false,
    lua: UNION_TOP_LUA,
    run: (redis, [union, ...sources], [cacheMs, n, ...weights]) => {
      let computed = 0
      if (redis.exists([union!]) === 0) {
        const size = redis.zunionstore(union!, sources, { weights: weights.map(Number) })
        if (size > 0) redis.pexpire(union!, Number(cacheMs))
        computed = 1
      }
      const top = redis.zrangeWithScores(union!, 0, Number(n) - 1, { rev: true })
      return [computed, ...top.flatMap(({ member, score }) => [member, formatDouble(score)])]
    },
  })
  if (unionTops.size < 64) unionTops.set(buckets, script)
  return script
}
