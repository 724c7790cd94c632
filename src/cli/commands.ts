/**
 * The Redis commands the kit sends, each with a sample argument list of the right arity, so that
 * `ACL DRYRUN <user> …` can tell whether the connected user may run it on a key under the prefix.
 * The store's command table (stores/commands.ts) is the source of the names; every entry of it
 * needs a sample here (test/cli/commands.test.ts checks that).
 */
import { COMMANDS } from '../stores/commands.js'

/** K: a key under the prefix; K2: a second one; C: a channel under the prefix. */
const SAMPLES: Record<string, string> = {
  get: 'K',
  set: 'K v',
  mget: 'K K2',
  incrby: 'K 1',
  incrbyfloat: 'K 1',
  getdel: 'K',
  del: 'K',
  unlink: 'K',
  exists: 'K',
  expire: 'K 1',
  pexpire: 'K 1',
  ttl: 'K',
  pttl: 'K',
  persist: 'K',
  type: 'K',
  hset: 'K f v',
  hget: 'K f',
  hmget: 'K f',
  hgetall: 'K',
  hdel: 'K f',
  hincrby: 'K f 1',
  sadd: 'K m',
  srem: 'K m',
  smembers: 'K',
  sismember: 'K m',
  scard: 'K',
  lpush: 'K v',
  rpush: 'K v',
  lpop: 'K',
  rpop: 'K',
  llen: 'K',
  lindex: 'K 0',
  lrange: 'K 0 -1',
  ltrim: 'K 0 -1',
  zadd: 'K 1 m',
  zincrby: 'K 1 m',
  zscore: 'K m',
  zrank: 'K m',
  zrange: 'K 0 -1',
  zrem: 'K m',
  zcard: 'K',
  zremrangebyrank: 'K 0 1',
  zremrangebyscore: 'K 0 1',
  zunionstore: 'K 1 K2',
  pfadd: 'K m',
  pfcount: 'K',
  pfmerge: 'K K2',
  setbit: 'K 0 1',
  getbit: 'K 0',
  bitcount: 'K',
  bitop: 'OR K K2',
  publish: 'C m',
  xadd: 'K * f v',
  xrange: 'K - +',
  xrevrange: 'K + -',
  xlen: 'K',
  xtrim: 'K MAXLEN 1',
  xdel: 'K 0-1',
  xread: 'STREAMS K 0',
  'xgroup create': 'K g $',
  'xgroup destroy': 'K g',
  'xgroup createconsumer': 'K g c',
  'xgroup delconsumer': 'K g c',
  xreadgroup: 'GROUP g c STREAMS K >',
  xack: 'K g 0-1',
  xpending: 'K g',
  xclaim: 'K g c 0 0-1',
  xautoclaim: 'K g c 0 0',
  'xinfo stream': 'K',
  'xinfo groups': 'K',
  'xinfo consumers': 'K g',
  // beyond the command table: scripts, SCAN, health, pub/sub
  eval: 'SCRIPT 1 K',
  evalsha: 'SHA 1 K',
  scan: '0',
  ping: '',
  info: '',
  subscribe: 'C',
  psubscribe: 'C',
  unsubscribe: 'C',
  punsubscribe: 'C',
}

const EXTRA = [
  'eval',
  'evalsha',
  'scan',
  'ping',
  'info',
  'subscribe',
  'psubscribe',
  'unsubscribe',
  'punsubscribe',
]

/** The Redis command (with its subcommand, lower case) behind a store command name. */
export function redisCommandOf(name: string): string {
  const sub = /^(xgroup|xinfo)([A-Z]\w*)$/.exec(name)
  if (sub) return `${sub[1]} ${sub[2]!.toLowerCase()}`
  return name.replace(/(Buffer|WithScores|Range)$/, '').toLowerCase()
}

/** Every Redis command the kit sends, in a stable order. */
export function kitCommands(): string[] {
  const names = new Set(Object.keys(COMMANDS).map(redisCommandOf))
  for (const extra of EXTRA) names.add(extra)
  return [...names]
}

/** Whether `command` has a sample (the test asserts every kit command does). */
export function hasSample(command: string): boolean {
  return command in SAMPLES
}

/** The argv of `command` with sample arguments on keys and channels under `prefix`. */
export function sampleArgv(command: string, prefix: string): string[] {
  const sample = SAMPLES[command]
  if (sample === undefined) throw new Error(`no sample arguments for ${command}`)
  const replace: Record<string, string> = {
    K: `${prefix}doctor`,
    K2: `${prefix}doctor:2`,
    C: `${prefix}pubsub:doctor`,
    SCRIPT: 'return 1',
    SHA: 'e0e1f9fabfc9d4800c877a703b823ac0578ff8db',
  }
  const args = sample === '' ? [] : sample.split(' ').map((a) => replace[a] ?? a)
  return [...command.split(' '), ...args]
}
