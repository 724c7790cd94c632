import type { ChildProcess } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { CLUSTER_BUS_OFFSET, findExecutable, pickPort, releasePort } from './ports.js'
import { isRunning, spawnTracked, stopProcess, trackDir, waitForExit } from './processes.js'
import { GiveUp, redisCommand, waitUntil } from './resp.js'

export const HOST = '127.0.0.1'

export interface StartRedisOptions {
  /** Fixed port; by default a free one is picked (and another one tried if it was taken meanwhile). */
  port?: number
  /** Run as a cluster node: `--cluster-enabled yes`, and port + 10000 must be free as well. */
  cluster?: boolean
  /** `--cluster-node-timeout` in ms (cluster nodes only). Default 2000. */
  clusterNodeTimeoutMs?: number
  /** Extra redis-server arguments, appended after the defaults. */
  args?: string[]
  /** How long to wait for PING to answer. Default 10 s. */
  startTimeoutMs?: number
}

export interface RedisServer {
  readonly host: string
  readonly port: number
  readonly url: string
  /** PID of the current redis-server process (changes after restart()). */
  readonly pid: number
  /** Its --dir: a temp dir, removed by stop(). */
  readonly dir: string
  readonly running: boolean
  /** The full redis-server argument list (restart() reuses it). */
  readonly args: readonly string[]
  /** SIGTERM, SIGKILL after 2 s, waits for the exit, removes the dir. Final and idempotent. */
  stop(): Promise<void>
  /** Sends a signal to the PID (SIGKILL to crash it, SIGSTOP/SIGCONT to freeze it). */
  kill(signal?: NodeJS.Signals): void
  /** Stops it if still running, then starts it again on the same port, dir and args. */
  restart(): Promise<void>
}

export const INSTALL_HINT =
  'Install redis-server (Debian/Ubuntu: `sudo apt-get install -y redis-server`, macOS: `brew install redis`) ' +
  'so tests can start their own servers, or set REDIS_URL=redis://127.0.0.1:6379 to use an existing one.'

export function redisServerAvailable(): boolean {
  return findExecutable('redis-server') !== undefined
}

function buildArgs(port: number, dir: string, options: StartRedisOptions): string[] {
  const args = ['--port', String(port), '--bind', HOST, '--protected-mode', 'yes', '--save', '']
  args.push('--appendonly', 'no', '--dir', dir, '--enable-debug-command', 'local')
  // Replicas sync at once instead of after the default 5 s diskless delay.
  args.push('--repl-diskless-sync-delay', '0')
  if (options.cluster) {
    args.push('--cluster-enabled', 'yes', '--cluster-config-file', `nodes-${port}.conf`)
    args.push('--cluster-node-timeout', String(options.clusterNodeTimeoutMs ?? 2000))
  }
  return [...args, ...(options.args ?? [])]
}

function logTail(dir: string): string {
  const file = join(dir, 'redis.log')
  if (!existsSync(file)) return '(no log)'
  return readFileSync(file, 'utf8').trim().split('\n').slice(-8).join('\n')
}

class ExitedEarly extends GiveUp {
  get portTaken(): boolean {
    return /address already in use/i.test(this.message)
  }
}

/** Spawns redis-server and resolves once PING answers; rejects (with the log) if it exits first. */
async function launch(args: string[], port: number, dir: string, timeoutMs: number): Promise<ChildProcess> {
  const child = spawnTracked('redis-server', args, join(dir, 'redis.log'), dir)
  try {
    await waitUntil(
      `redis-server on port ${port}`,
      async () => {
        if (!isRunning(child)) throw new ExitedEarly(logTail(dir))
        return (await redisCommand(port, ['PING'], { timeoutMs: 500 })) === 'PONG'
      },
      { timeoutMs, intervalMs: 20 },
    )
    return child
  } catch (err) {
    await stopProcess(child)
    if (err instanceof ExitedEarly) throw err
    throw new Error(`${(err as Error).message}\n${logTail(dir)}`)
  }
}

/** Starts a redis-server child process (not daemonized) on a free loopback port. */
export async function startRedisServer(options: StartRedisOptions = {}): Promise<RedisServer> {
  if (!redisServerAvailable()) throw new Error(`redis-server is not on PATH. ${INSTALL_HINT}`)
  const timeoutMs = options.startTimeoutMs ?? 10_000
  const dir = mkdtempSync(join(tmpdir(), 'redis-kit-test-'))
  const removeDir = trackDir(dir)
  let port = 0
  let args: string[] = []
  let child: ChildProcess | undefined
  for (let attempt = 1; !child; attempt++) {
    port = options.port ?? (await pickPort({ bus: options.cluster === true }))
    args = buildArgs(port, dir, options)
    try {
      child = await launch(args, port, dir, timeoutMs)
    } catch (err) {
      if (options.port === undefined) releasePort(port)
      const retry = err instanceof ExitedEarly && err.portTaken && options.port === undefined && attempt < 5
      if (!retry) {
        removeDir()
        const which = options.cluster ? `${port} (bus ${port + CLUSTER_BUS_OFFSET})` : String(port)
        throw new Error(`redis-server failed to start on port ${which}: ${(err as Error).message}`)
      }
    }
  }
  let current: ChildProcess = child
  let stopped = false
  return {
    host: HOST,
    port,
    url: `redis://${HOST}:${port}`,
    dir,
    args,
    get pid() {
      return current.pid as number
    },
    get running() {
      return isRunning(current)
    },
    async stop() {
      if (stopped) return
      stopped = true
      await stopProcess(current)
      if (options.port === undefined) releasePort(port)
      removeDir()
    },
    kill(signal: NodeJS.Signals = 'SIGKILL') {
      process.kill(current.pid as number, signal)
    },
    async restart() {
      if (stopped) throw new Error('restart() after stop(): the server and its dir are gone')
      await stopProcess(current)
      await waitForExit(current, 5000)
      current = await launch(args, port, dir, timeoutMs)
    },
  }
}

export interface ResolvedRedis {
  url: string
  source: 'REDIS_URL' | 'redis-server' | 'testcontainers'
  /** Stops what this call started (nothing for REDIS_URL). */
  stop(): Promise<void>
}

function dockerLikelyUsable(): boolean {
  return (
    Boolean(process.env.DOCKER_HOST) ||
    existsSync('/var/run/docker.sock') ||
    existsSync(join(process.env.HOME ?? '', '.docker/run/docker.sock'))
  )
}

/**
 * The shared standalone Redis for a test run: REDIS_URL, else a redis-server child process,
 * else a testcontainers `redis:7` container when Docker is usable, else a clear error.
 */
export async function resolveRedis(): Promise<ResolvedRedis> {
  const fromEnv = process.env.REDIS_URL
  if (fromEnv) return { url: fromEnv, source: 'REDIS_URL', stop: async () => {} }
  if (redisServerAvailable()) {
    const server = await startRedisServer()
    return { url: server.url, source: 'redis-server', stop: () => server.stop() }
  }
  if (dockerLikelyUsable()) {
    try {
      const { GenericContainer } = await import('testcontainers')
      const container = await new GenericContainer('redis:7').withExposedPorts(6379).start()
      const url = `redis://${container.getHost()}:${container.getMappedPort(6379)}`
      return { url, source: 'testcontainers', stop: async () => void (await container.stop()) }
    } catch (err) {
      throw new Error(
        `No Redis for the tests: redis-server is not on PATH and Docker failed (${(err as Error).message}). ${INSTALL_HINT}`,
      )
    }
  }
  throw new Error(
    `No Redis for the tests: redis-server is not on PATH and Docker is not available. ${INSTALL_HINT}`,
  )
}
