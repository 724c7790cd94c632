/**
 * The JavaScript twin of CHECK_LUA (see check-lua.ts for KEYS, ARGV and the reply): what the
 * memory store runs, synchronously and therefore atomically. Same commands in the same order.
 */
import { integersReply } from '../stores/integers-reply.js'
import type { ScriptContext } from '../stores/types.js'
import { ALGORITHMS, type Ctx, digits, type State } from './algorithms.js'

const TOP_SIZE = 256

export function runCheck(redis: ScriptContext, keys: string[], argv: string[]): string {
  let t: number
  if (argv[0] === '') {
    const [seconds, micros] = redis.time()
    t = seconds * 1000 + Math.floor(micros / 1000)
  } else t = Number(argv[0])
  const peek = argv[1] === 'p'
  const charge = argv[2] === '1' && !peek
  const retention = Number(argv[3])
  const id = argv[4]!
  const first = retention > 0 ? 3 : 1
  const count = (argv.length - 5) / 5

  const record = (allowed: boolean) => {
    if (retention === 0 || peek) return
    redis.hincrby(keys[1]!, allowed ? 'a' : 'b', 1)
    redis.pexpire(keys[1]!, retention)
    if (!allowed) {
      if (redis.zscore(keys[2]!, id) === null && redis.zcard(keys[2]!) >= TOP_SIZE) {
        redis.zremrangebyrank(keys[2]!, 0, 0)
      }
      redis.zincrby(keys[2]!, 1, id)
      redis.pexpire(keys[2]!, retention)
    }
  }

  const blocked = digits(redis.get(keys[0]!))
  if (blocked !== undefined && blocked > t) {
    record(false)
    return integersReply(2, t, blocked - t)
  }

  const ctx: Ctx = { redis, t }
  const limits: { algo: string; key: string; args: [number, number, number, number]; s: State }[] = []
  let all = true
  for (let i = 0; i < count; i++) {
    const a = 5 + i * 5
    const algo = argv[a]!
    const key = keys[first + i]!
    const args: [number, number, number, number] = [
      Number(argv[a + 1]),
      Number(argv[a + 2]),
      Number(argv[a + 3]),
      Number(argv[a + 4]),
    ]
    const s = ALGORITHMS[algo]!.read(ctx, key, ...args)
    if (!s.allowed) all = false
    limits.push({ algo, key, args, s })
  }
  if (!peek && (all || charge)) {
    for (const l of limits) ALGORITHMS[l.algo]!.commit(ctx, l.key, ...l.args, l.s, !all)
  }
  record(all)
  const reply = [all ? 1 : 0, t]
  for (const { s } of limits) {
    reply.push(s.allowed ? 1 : 0, s.remaining, s.reset, s.allowed ? 0 : (s.retry as number))
  }
  return integersReply(...reply)
}
