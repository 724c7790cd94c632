import { type ChildProcess, spawn } from 'node:child_process'
import { closeSync, openSync, rmSync } from 'node:fs'

/**
 * Child processes of the test run, and how they die with it.
 *
 * - Normal path: the owner stops each child by PID (stopProcess).
 * - The Node process exits (also via process.exit or an uncaught error): an 'exit' hook
 *   SIGKILLs every child still tracked and removes the temp dirs.
 * - The Node process is killed outright (SIGKILL, OOM, a worker torn down): each child has a
 *   watchdog, a detached `sh` holding the read end of a pipe from us. When we die the pipe
 *   closes, `read` returns and the watchdog SIGKILLs that one PID and removes its temp dir.
 *   No polling, no names.
 */
interface Tracked {
  child: ChildProcess
  watchdog: ChildProcess | undefined
}

const live = new Map<number, Tracked>()
const dirs = new Set<string>()
let hooked = false

function hookExit(): void {
  if (hooked) return
  hooked = true
  process.on('exit', () => {
    for (const { child, watchdog } of live.values()) {
      killQuietly(watchdog?.pid, 'SIGKILL')
      killQuietly(child.pid, 'SIGKILL')
    }
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true })
  })
}

function killQuietly(pid: number | undefined, signal: NodeJS.Signals): void {
  if (pid === undefined) return
  try {
    process.kill(pid, signal)
  } catch {}
}

const WATCHDOG = 'read _ignored; kill -KILL "$0" 2>/dev/null; if [ -n "$1" ]; then rm -rf -- "$1"; fi'

function startWatchdog(pid: number, dir: string): ChildProcess | undefined {
  try {
    const watchdog = spawn('sh', ['-c', WATCHDOG, String(pid), dir], {
      stdio: ['pipe', 'ignore', 'ignore'],
      detached: true,
    })
    watchdog.on('error', () => {})
    watchdog.unref()
    ;(watchdog.stdin as unknown as { unref?: () => void } | null)?.unref?.()
    return watchdog
  } catch {
    return undefined
  }
}

/** Registers a temp dir to be removed if the process exits before its owner removes it. */
export function trackDir(dir: string): () => void {
  hookExit()
  dirs.add(dir)
  return () => {
    dirs.delete(dir)
    rmSync(dir, { recursive: true, force: true })
  }
}

/**
 * Spawns `command` (not detached) with stdout and stderr appended to `logFile`, tracked and
 * watched; `dir` (optional) is removed by the watchdog if this Node process is killed.
 */
export function spawnTracked(command: string, args: string[], logFile: string, dir = ''): ChildProcess {
  hookExit()
  const fd = openSync(logFile, 'a')
  let child: ChildProcess
  try {
    child = spawn(command, args, { stdio: ['ignore', fd, fd] })
  } finally {
    closeSync(fd)
  }
  child.on('error', () => {})
  // A forgotten server must not keep a worker alive; exit events still arrive while we wait.
  child.unref()
  const pid = child.pid
  if (pid === undefined) throw new Error(`failed to spawn ${command}`)
  const entry: Tracked = { child, watchdog: startWatchdog(pid, dir) }
  live.set(pid, entry)
  child.once('exit', () => {
    live.delete(pid)
    killQuietly(entry.watchdog?.pid, 'SIGKILL')
  })
  return child
}

export function isRunning(child: ChildProcess): boolean {
  return child.exitCode === null && child.signalCode === null
}

export function waitForExit(child: ChildProcess, timeoutMs: number): Promise<boolean> {
  if (!isRunning(child)) return Promise.resolve(true)
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), timeoutMs)
    child.once('exit', () => {
      clearTimeout(timer)
      resolve(true)
    })
  })
}

/** SIGTERM (and SIGCONT, in case a test froze it), SIGKILL after `graceMs`, then waits for the exit. */
export async function stopProcess(child: ChildProcess, graceMs = 2000): Promise<void> {
  if (!isRunning(child) || child.pid === undefined) return
  const entry = live.get(child.pid)
  killQuietly(entry?.watchdog?.pid, 'SIGKILL')
  killQuietly(child.pid, 'SIGTERM')
  killQuietly(child.pid, 'SIGCONT')
  if (await waitForExit(child, graceMs)) return
  killQuietly(child.pid, 'SIGKILL')
  if (!(await waitForExit(child, 5000))) throw new Error(`process ${child.pid} survived SIGKILL`)
}
