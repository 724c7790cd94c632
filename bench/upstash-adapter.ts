/**
 * bench/upstash-adapter.ts — lets @upstash/ratelimit run on ioredis against a stock Redis, so the
 * rate-limit bench can measure it side by side with rate-limiter-flexible on the same server.
 *
 * Why an adapter: `Ratelimit` expects an @upstash/redis (REST) client, and its Lua scripts start
 * with `#!lua flags=allow-key-locking`, which Redis 7.0 rejects (`ERR Unexpected flag in script
 * shebang`). This is what the research did (docs research, ratelimit-sessions.md §2).
 *
 * What the library calls, read from @upstash/ratelimit 2.2.0 dist: on the single-region path with
 * `analytics: false` and `enableProtection: false`, only `safeEval`, i.e. `redis.evalsha(hash, keys,
 * args)` and, when the error's text contains NOSCRIPT, `redis.eval(script, keys, args)`. (`get`/`set`
 * are for dynamic limits only; `addTelemetry` is called with `?.`; analytics, deny lists and
 * multi-region need more, not attempted.) The library's `hash` is the SHA1 of the script *with* the
 * shebang, so Redis never knows it: the adapter strips the shebang, loads the stripped script once
 * (SCRIPT LOAD) and maps the library's hash to the stripped one. Steady state: one EVALSHA per
 * limit(). The first call for a script answers NOSCRIPT locally (no round trip), the library then
 * calls eval(), which loads and maps; if Redis loses the script later (restart, SCRIPT FLUSH), the
 * adapter falls back to EVAL of the stripped script, which also reloads it.
 *
 * Replies are converted as @upstash/redis's default `parseResponse` does: arrays recursively, and
 * strings that are JSON (a numeric string only if it round-trips) parsed. The limit scripts return
 * arrays of integers, which ioredis already gives as numbers, as the library expects.
 */
import { createHash } from 'node:crypto'
import type { Ratelimit } from '@upstash/ratelimit'
import type { Redis } from 'ioredis'

type Loaded = { sha: string; script: string }

const SHEBANG = /^#![^\n]*\n/

const sha1 = (text: string) => createHash('sha1').update(text).digest('hex')

const isNoScript = (error: unknown) => `${error}`.includes('NOSCRIPT')

/** Like @upstash/redis's parseResponse (automatic deserialization, its default). */
export function upstashReply(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(upstashReply)
  if (typeof value !== 'string') return value
  try {
    const parsed: unknown = JSON.parse(value)
    return typeof parsed === 'number' && String(parsed) !== value ? value : parsed
  } catch {
    return value
  }
}

/** The `redis` option of @upstash/ratelimit's `Ratelimit`, on an ioredis client. */
export class UpstashOnIoredis {
  /** Library hash (script with shebang) → the stripped script and its sha, once loaded. */
  readonly #loaded = new Map<string, Loaded>()
  /** One SCRIPT LOAD per script, even with 200 callers hitting the first call together. */
  readonly #loading = new Map<string, Promise<Loaded>>()

  constructor(private readonly redis: Redis) {}

  /** Typed as what `Ratelimit` takes (it names @upstash/redis's class; it calls only evalsha/eval). */
  asRatelimitRedis(): ConstructorParameters<typeof Ratelimit>[0]['redis'] {
    return this as unknown as ConstructorParameters<typeof Ratelimit>[0]['redis']
  }

  async evalsha(hash: string, keys: string[], args: unknown[]): Promise<unknown> {
    const loaded = this.#loaded.get(hash)
    // not loaded yet: the library's own fallback (eval with the script text) loads it
    if (!loaded) throw new Error(`NOSCRIPT ${hash} not loaded through the adapter yet`)
    return this.#run(loaded, keys, args)
  }

  async eval(script: string, keys: string[], args: unknown[]): Promise<unknown> {
    const hash = sha1(script)
    let loading = this.#loading.get(hash)
    if (!loading) {
      const stripped = script.replace(SHEBANG, '')
      loading = (this.redis.script('LOAD', stripped) as Promise<string>).then(
        (sha) => {
          const loaded = { sha, script: stripped }
          this.#loaded.set(hash, loaded)
          return loaded
        },
        (error: unknown) => {
          this.#loading.delete(hash)
          throw error
        },
      )
      this.#loading.set(hash, loading)
    }
    return this.#run(await loading, keys, args)
  }

  async #run({ sha, script }: Loaded, keys: string[], args: unknown[]): Promise<unknown> {
    const argv = args as (string | number)[]
    try {
      return upstashReply(await this.redis.evalsha(sha, keys.length, ...keys, ...argv))
    } catch (error) {
      if (!isNoScript(error)) throw error
      return upstashReply(await this.redis.eval(script, keys.length, ...keys, ...argv))
    }
  }
}
