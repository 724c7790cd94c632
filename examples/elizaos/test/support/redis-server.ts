/**
 * A real redis-server for a test file: a child process on a free loopback port, no persistence,
 * stopped by its PID (as the root's test/support/redis.ts does).
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { createConnection, createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export const HOST = '127.0.0.1'

export interface RedisServer {
  readonly port: number
  readonly url: string
  readonly pid: number
  /** SIGTERM, SIGKILL after 2 s; waits for the exit; removes its dir. Idempotent. */
  stop(): Promise<void>
  /** Kills the process (SIGKILL) and waits for its exit; the dir stays for restart(). */
  kill(): Promise<void>
  /** Starts the server again on the same port (after kill()). */
  restart(): Promise<void>
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.unref()
    server.once('error', reject)
    server.listen(0, HOST, () => {
      const address = server.address()
      const port = typeof address === 'object' && address ? address.port : 0
      server.close(() => resolve(port))
    })
  })
}

/** Resolves once the server answers PING with PONG. */
function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: HOST, port })
    const done = (ok: boolean) => {
      socket.destroy()
      resolve(ok)
    }
    socket.setTimeout(500, () => done(false))
    socket.once('error', () => done(false))
    socket.once('connect', () => socket.write('PING\r\n'))
    socket.once('data', (data) => done(data.toString().startsWith('+PONG')))
  })
}

function exited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null
}

function waitForExit(child: ChildProcess, ms: number): Promise<boolean> {
  if (exited(child)) return Promise.resolve(true)
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms)
    child.once('exit', () => {
      clearTimeout(timer)
      resolve(true)
    })
  })
}

async function launch(port: number, dir: string): Promise<ChildProcess> {
  const args = ['--port', String(port), '--bind', HOST, '--save', '', '--appendonly', 'no', '--dir', dir]
  const child = spawn('redis-server', args, { stdio: 'ignore' })
  child.once('error', () => {})
  const deadline = Date.now() + 10_000
  while (Date.now() < deadline) {
    if (exited(child)) throw new Error(`redis-server exited on port ${port} (taken?)`)
    if (await ping(port)) return child
    await new Promise((r) => setTimeout(r, 25))
  }
  child.kill('SIGKILL')
  throw new Error(`redis-server did not answer PING on port ${port} within 10 s`)
}

export async function startRedisServer(): Promise<RedisServer> {
  const dir = mkdtempSync(join(tmpdir(), 'redis-kit-elizaos-'))
  let child: ChildProcess | undefined
  let port = 0
  for (let attempt = 1; !child; attempt++) {
    port = await freePort()
    try {
      child = await launch(port, dir)
    } catch (error) {
      if (attempt >= 5) {
        rmSync(dir, { recursive: true, force: true })
        throw error
      }
    }
  }
  let server = child
  let stopped: Promise<void> | undefined
  return {
    port,
    url: `redis://${HOST}:${port}`,
    get pid() {
      return server.pid as number
    },
    stop() {
      stopped ??= (async () => {
        if (!exited(server)) {
          process.kill(server.pid as number, 'SIGTERM')
          if (!(await waitForExit(server, 2000))) {
            process.kill(server.pid as number, 'SIGKILL')
            await waitForExit(server, 2000)
          }
        }
        rmSync(dir, { recursive: true, force: true })
      })()
      return stopped
    },
    async kill() {
      if (exited(server)) return
      process.kill(server.pid as number, 'SIGKILL')
      await waitForExit(server, 5000)
    },
    async restart() {
      if (stopped) throw new Error('restart() after stop()')
      if (!exited(server)) throw new Error('restart() while running: kill() first')
      server = await launch(port, dir)
    },
  }
}
