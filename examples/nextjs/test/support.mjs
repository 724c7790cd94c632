// Real processes for the end-to-end tests: a redis-server and `next start`, each on a free
// 127.0.0.1 port, stopped by PID. No mocks.
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { mkdtempSync, rmSync } from 'node:fs'
import { createConnection, createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

export const HOST = '127.0.0.1'
export const APP_DIR = join(dirname(fileURLToPath(import.meta.url)), '..')

/** A port nobody listens on right now. */
export async function freePort() {
  const server = createServer()
  server.listen(0, HOST)
  await once(server, 'listening')
  const { port } = /** @type {import('node:net').AddressInfo} */ (server.address())
  server.close()
  await once(server, 'close')
  return port
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))

/** Polls `check` until it returns a truthy value; fails after `timeoutMs`. */
export async function waitFor(what, check, { timeoutMs = 15_000, intervalMs = 100 } = {}) {
  const deadline = Date.now() + timeoutMs
  let last
  while (Date.now() < deadline) {
    try {
      const value = await check()
      if (value) return value
    } catch (error) {
      last = error
    }
    await sleep(intervalMs)
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${last.message}` : ''}`)
}

/** The end offset of the RESP value at `at` in `text`, or -1 while it is incomplete. */
function respEnd(text, at = 0) {
  const eol = text.indexOf('\r\n', at)
  if (eol < 0) return -1
  const type = text[at]
  const n = Number(text.slice(at + 1, eol))
  if (type === '$') {
    if (n < 0) return eol + 2
    const end = eol + 2 + n + 2
    return Buffer.byteLength(text) >= end ? end : -1 // ASCII replies only (keys, CLIENT LIST)
  }
  if (type === '*') {
    let offset = eol + 2
    for (let i = 0; i < n; i++) {
      offset = respEnd(text, offset)
      if (offset < 0) return -1
    }
    return offset
  }
  return eol + 2
}

/** Sends one command to Redis (RESP) and resolves with the raw reply text, once complete. */
export function redisCommand(port, args, timeoutMs = 1000) {
  return new Promise((resolve, reject) => {
    const socket = createConnection({ host: HOST, port })
    let reply = ''
    const timer = setTimeout(() => {
      socket.destroy()
      reject(new Error('redis: no reply'))
    }, timeoutMs)
    socket.on('error', (error) => {
      clearTimeout(timer)
      reject(error)
    })
    socket.on('data', (chunk) => {
      reply += chunk.toString('utf8')
      if (respEnd(reply) >= 0) {
        clearTimeout(timer)
        socket.end()
        resolve(reply)
      }
    })
    socket.write(`*${args.length}\r\n${args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('')}`)
  })
}

/** Stops a child by PID: SIGTERM, SIGKILL after `graceMs`, resolves once it exited. */
export async function stopChild(child, graceMs = 3000) {
  if (child.exitCode !== null || child.signalCode !== null) return
  const exited = once(child, 'exit')
  child.kill('SIGTERM')
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs)
  await exited
  clearTimeout(timer)
}

function spawnLogged(command, args, options, name) {
  const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] })
  const log = []
  const keep = (chunk) => {
    log.push(chunk.toString('utf8'))
    if (log.length > 200) log.shift()
  }
  child.stdout.on('data', keep)
  child.stderr.on('data', keep)
  child.log = () => `--- ${name} (pid ${child.pid}) ---\n${log.join('')}`
  return child
}

/** redis-server on a free port, no persistence, in a temp dir. */
export async function startRedis() {
  const port = await freePort()
  const dir = mkdtempSync(join(tmpdir(), 'redis-kit-nextjs-'))
  const args = ['--port', String(port), '--bind', HOST, '--save', '', '--appendonly', 'no', '--dir', dir]
  const child = spawnLogged('redis-server', args, {}, 'redis-server')
  await waitFor('redis-server to answer PING', async () => {
    if (child.exitCode !== null) throw new Error(child.log())
    return (await redisCommand(port, ['PING'], 300)) === '+PONG\r\n'
  })
  return {
    port,
    url: `redis://${HOST}:${port}`,
    child,
    async stop() {
      await stopChild(child)
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

/** `next start` (the server process itself, not npx) on a free port. */
export async function startNext(env) {
  const port = await freePort()
  const bin = join(APP_DIR, 'node_modules', 'next', 'dist', 'bin', 'next')
  const child = spawnLogged(
    process.execPath,
    [bin, 'start', '-H', HOST, '-p', String(port)],
    { cwd: APP_DIR, env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1', ...env } },
    'next start',
  )
  const url = `http://${HOST}:${port}`
  await waitFor(
    'next start to answer',
    async () => {
      if (child.exitCode !== null) throw new Error(child.log())
      return (await fetch(`${url}/api/redis/status`)).ok
    },
    { timeoutMs: 30_000, intervalMs: 200 },
  )
  return { port, url, child, stop: () => stopChild(child) }
}

/** Reads Server-Sent Events from a fetch Response until `until(events)` is true (or the timeout). */
export async function readEvents(response, until, timeoutMs = 10_000) {
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader()
  const events = []
  let buffer = ''
  const timer = setTimeout(() => reader.cancel().catch(() => {}), timeoutMs)
  try {
    while (!until(events)) {
      const { value, done } = await reader.read()
      if (done) break
      buffer += value
      let end = buffer.indexOf('\n\n')
      while (end >= 0) {
        const block = buffer.slice(0, end)
        buffer = buffer.slice(end + 2)
        const event = { id: undefined, event: 'message', data: '' }
        let hasData = false
        for (const line of block.split('\n')) {
          const colon = line.indexOf(':')
          if (colon === 0) continue // a comment (keep-alive)
          const field = colon < 0 ? line : line.slice(0, colon)
          const text = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '')
          if (field === 'id') event.id = text
          else if (field === 'event') event.event = text
          else if (field === 'data') {
            event.data += (hasData ? '\n' : '') + text
            hasData = true
          }
        }
        if (hasData) events.push({ ...event, data: JSON.parse(event.data) })
        end = buffer.indexOf('\n\n')
      }
    }
  } finally {
    clearTimeout(timer)
    await reader.cancel().catch(() => {})
  }
  return events
}
