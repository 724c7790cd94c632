import { connect } from 'node:net'

/**
 * A tiny RESP2 client for the test infrastructure only: readiness probes and cluster checks
 * must not depend on ioredis (whose retries and offline queue would hide the real state).
 */
export type Reply = string | number | null | Reply[]

type Parsed = [Reply | Error, number] | undefined

function parse(buf: Buffer, pos: number): Parsed {
  const eol = buf.indexOf('\r\n', pos)
  if (eol < 0) return undefined
  const type = String.fromCharCode(buf[pos]!)
  const line = buf.toString('utf8', pos + 1, eol)
  let next = eol + 2
  switch (type) {
    case '+':
      return [line, next]
    case '-':
      return [new Error(line), next]
    case ':':
      return [Number(line), next]
    case '$': {
      const len = Number(line)
      if (len < 0) return [null, next]
      if (buf.length < next + len + 2) return undefined
      return [buf.toString('utf8', next, next + len), next + len + 2]
    }
    case '*': {
      const len = Number(line)
      if (len < 0) return [null, next]
      const items: Reply[] = []
      for (let i = 0; i < len; i++) {
        const item = parse(buf, next)
        if (!item) return undefined
        if (item[0] instanceof Error) return [item[0], item[1]]
        items.push(item[0])
        next = item[1]
      }
      return [items, next]
    }
    default:
      throw new Error(`unexpected RESP type byte ${JSON.stringify(type)}`)
  }
}

function encode(args: readonly (string | number)[]): string {
  let out = `*${args.length}\r\n`
  for (const arg of args) {
    const s = String(arg)
    out += `$${Buffer.byteLength(s)}\r\n${s}\r\n`
  }
  return out
}

/** Sends one command on a fresh connection and resolves with its reply (rejects on error replies). */
export function redisCommand(
  port: number,
  args: readonly (string | number)[],
  { host = '127.0.0.1', timeoutMs = 1000 } = {},
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    let buf = Buffer.alloc(0)
    const socket = connect({ host, port })
    const timer = setTimeout(() => {
      socket.destroy()
      reject(new Error(`${args[0]} to ${host}:${port} timed out after ${timeoutMs} ms`))
    }, timeoutMs)
    const finish = (err: Error | null, reply?: Reply) => {
      clearTimeout(timer)
      socket.destroy()
      if (err) reject(err)
      else resolve(reply ?? null)
    }
    socket.on('connect', () => socket.write(encode(args)))
    socket.on('error', (err) => finish(err))
    socket.on('close', () => finish(new Error(`connection to ${host}:${port} closed before a reply`)))
    socket.on('data', (chunk) => {
      buf = Buffer.concat([buf, chunk])
      try {
        const parsed = parse(buf, 0)
        if (!parsed) return
        const [reply] = parsed
        if (reply instanceof Error) finish(reply)
        else finish(null, reply)
      } catch (err) {
        finish(err as Error)
      }
    })
  })
}

/** Thrown by a `waitUntil` check to stop waiting at once (other errors mean "not yet"). */
export class GiveUp extends Error {}

/** Polls `check` every `intervalMs` until it returns true; the last failure reason goes into the error. */
export async function waitUntil(
  what: string,
  check: () => Promise<boolean | string>,
  { timeoutMs = 10_000, intervalMs = 50 } = {},
): Promise<void> {
  const deadline = Date.now() + timeoutMs
  let last = 'not checked yet'
  for (;;) {
    try {
      const result = await check()
      if (result === true) return
      last = result === false ? 'condition false' : result
    } catch (err) {
      if (err instanceof GiveUp) throw err
      last = (err as Error).message
    }
    if (Date.now() >= deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}: ${last}`)
    await new Promise((r) => setTimeout(r, intervalMs))
  }
}
