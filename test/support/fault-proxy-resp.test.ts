import type { Redis } from 'ioredis'
import { afterEach, describe, expect, it } from 'vitest'
import { redisUrl } from './env.js'
import { cleanup, client, key, proxy } from './fault-proxy-clients.js'
import { decodeCommand, RespScanner } from './fault-proxy-resp.js'

/** RESP-level behaviour of the fault proxy: slicing (fuzzes the client parser) and reply(). */
afterEach(cleanup)

const READONLY = "-READONLY You can't write against a read only replica.\r\n"
const LOADING = '-LOADING Redis is loading the dataset in memory\r\n'
const OOM = "-OOM command not allowed when used memory > 'maxmemory'.\r\n"

const settle = (p: Promise<unknown>) => p.then(String, (e: Error) => `error: ${e.message}`)

/** A mix of reply types (bulk with CRLF inside, nil, integers, errors, arrays, maps, binary). */
async function mixedScript(c: Redis, prefix: string): Promise<unknown[]> {
  const k = (name: string) => key(`${prefix}:${name}`)
  const binary = Buffer.from(Array.from({ length: 256 }, (_, i) => i))
  return [
    await c.set(k('s'), 'héllo wörld\r\n$3\r\n*1\r\n'),
    await c.get(k('s')),
    await c.get(k('missing')),
    await c.incrby(k('n'), 41),
    await settle(c.incr(k('s'))),
    await c.hset(k('h'), { a: '1', b: '', c: 'x'.repeat(300) }),
    await c.hgetall(k('h')),
    await c.rpush(k('l'), 'a', 'b', 'c'),
    await c.lrange(k('l'), 0, -1),
    await c.zadd(k('z'), '1.5', 'm1', '2', 'm2'),
    await c.zrange(k('z'), '0', '-1', 'WITHSCORES'),
    await c.zscore(k('z'), 'm1'),
    await c.mget(k('s'), k('missing'), k('n')),
    await c.set(k('bin'), binary),
    (await c.getBuffer(k('bin')))?.equals(binary),
    await c.pipeline().get(k('s')).incr(k('n')).lrange(k('l'), 0, 1).hget(k('h'), 'c').exec(),
    await c.multi().incr(k('n')).get(k('n')).exec(),
    await c.del(k('s'), k('n'), k('h'), k('l'), k('z'), k('bin')),
  ]
}

describe('slice', () => {
  it.each([
    [1, 2],
    [1, 3],
    [7, 3],
  ] as const)(
    'slice(%i) with RESP%i gives the same results as a direct connection',
    async (max, protocol) => {
      const direct = await mixedScript(await client(redisUrl(), { protocol }), `direct${max}-${protocol}`)
      const p = await proxy()
      const c = await client(p.url, { protocol, commandTimeout: 2000 })
      p.slice(max)
      expect(await mixedScript(c, `sliced${max}-${protocol}`)).toEqual(direct)
    },
  )
})

describe('reply', () => {
  it('answers SET locally with -READONLY while GET still reaches Redis', async () => {
    const p = await proxy()
    const c = await client(p.url)
    const direct = await client(redisUrl())
    await direct.set(key('ro'), 'v')
    p.reply((cmd) => (cmd[0] === 'SET' ? READONLY : undefined))
    await expect(c.set(key('ro-new'), '1')).rejects.toThrow(/^READONLY You can't write/)
    expect(await c.get(key('ro'))).toBe('v')
    expect(await direct.exists(key('ro-new'))).toBe(0) // never forwarded

    const mixed = await c.pipeline().get(key('ro')).set(key('ro'), 'w').get(key('ro')).ping().exec()
    expect(mixed?.map(([err, value]) => (err ? err.message.split(' ')[0] : value))).toEqual([
      'v',
      'READONLY',
      'v',
      'PONG',
    ])
    p.reply(undefined)
    expect(await c.set(key('ro'), 'w')).toBe('OK')
    await direct.del(key('ro'))
  })

  it.each([LOADING, OOM])('answers with %s', async (error) => {
    const p = await proxy()
    const c = await client(p.url)
    p.reply((cmd) => (cmd[0] === 'SET' ? error : undefined))
    await expect(c.set(key('e'), '1')).rejects.toThrow(error.slice(1, -2))
    expect(await c.ping()).toBe('PONG')
  })

  it('keeps 1000 pipelined local and forwarded replies in order, under jitter and slicing', async () => {
    const p = await proxy()
    const c = await client(p.url, { commandTimeout: 5000 })
    p.reply((cmd) => (cmd[0] === 'GET' ? '$5\r\nlocal\r\n' : undefined))
    p.latency(0, 3)
    p.slice(64)
    const pipeline = c.pipeline()
    for (let i = 0; i < 1000; i++) i % 2 ? pipeline.get(key('none')) : pipeline.incr(key('seq'))
    const results = (await pipeline.exec())?.map(([err, value]) => err ?? value)
    expect(results).toEqual(Array.from({ length: 1000 }, (_, i) => (i % 2 ? 'local' : i / 2 + 1)))
    await (await client(redisUrl())).del(key('seq'))
  })

  it('switched on mid-stream, a local reply waits for the replies still owed', async () => {
    const p = await proxy()
    const c = await client(p.url)
    p.latency(100, 0, 'up') // Redis answers the INCR only ~100 ms from now
    const owed = c.incr(key('owed'))
    await new Promise((r) => setTimeout(r, 30)) // the proxy has read the INCR
    p.reply((cmd) => (cmd[0] === 'SET' ? READONLY : undefined))
    const local = settle(c.set(key('owed'), 'x'))
    expect(await owed).toBe(1)
    expect(await local).toMatch(/^error: READONLY/)
    await (await client(redisUrl())).del(key('owed'))
  })

  it('turns a throwing fn into an -ERR reply', async () => {
    const p = await proxy()
    const c = await client(p.url)
    p.reply(() => {
      throw new Error('boom')
    })
    await expect(c.ping()).rejects.toThrow(/reply\(\) threw: boom/)
  })
})

describe('RespScanner', () => {
  const frames = (input: string, requests = false, step = 1) => {
    const scanner = new RespScanner(requests)
    const ends: string[] = []
    const buf = Buffer.from(input, 'latin1')
    for (let pos = 0; pos < buf.length; pos += step)
      scanner.feed(buf.subarray(pos, pos + step), (end, push) => ends.push(`${pos + end}${push ? 'p' : ''}`))
    return { ends, broken: scanner.broken }
  }

  it('finds frame ends in RESP3 replies fed byte by byte or at once', () => {
    const reply = '%1\r\n$1\r\na\r\n*2\r\n:1\r\n_\r\n' + '>2\r\n+x\r\n$-1\r\n' + '|1\r\n+k\r\n+v\r\n,1.5\r\n'
    const expected = ['22', '35p', '53']
    expect(frames(reply).ends).toEqual(expected)
    expect(frames(reply, false, reply.length).ends).toEqual(expected)
    expect(frames('*0\r\n*-1\r\n$0\r\n\r\n').ends).toEqual(['4', '9', '15'])
  })

  it('reads inline requests and decodes commands', () => {
    expect(frames('PING\r\n\r\n*1\r\n$4\r\nPING\r\n', true).ends).toEqual(['6', '22'])
    expect(decodeCommand(Buffer.from('*3\r\n$3\r\nset\r\n$1\r\nk\r\n$4\r\na\r\nb\r\n'))).toEqual([
      'SET',
      'k',
      'a\r\nb',
    ])
    expect(decodeCommand(Buffer.from('get  k\r\n'))).toEqual(['GET', 'k'])
    expect(frames('?what\r\n').broken).toBe(true)
  })
})
