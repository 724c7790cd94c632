import { accessSync, constants } from 'node:fs'
import { createServer } from 'node:net'
import { delimiter, join } from 'node:path'

/**
 * Ports are drawn at random from 12000-21999, so the cluster bus port (port + 10000) stays
 * within 22000-31999: both below Linux's ephemeral range (32768+) and clear of 6379, so outgoing
 * connections never squat on them. Callers still retry on EADDRINUSE: another worker may pick
 * the same port between this check and redis-server binding it.
 */
const LOW = 12000
const HIGH = 22000
export const CLUSTER_BUS_OFFSET = 10000

export function isPortFree(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer()
    server.once('error', () => resolve(false))
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(true)))
  })
}

const taken = new Set<number>()

/** A free loopback port; with `bus: true`, port + 10000 is free as well. */
export async function pickPort({ bus = false } = {}): Promise<number> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const port = LOW + Math.floor(Math.random() * (HIGH - LOW))
    if (taken.has(port) || taken.has(port + CLUSTER_BUS_OFFSET)) continue
    if (!(await isPortFree(port))) continue
    if (bus && !(await isPortFree(port + CLUSTER_BUS_OFFSET))) continue
    // Remember it in this process so parallel starts here never pick the same pair.
    taken.add(port)
    if (bus) taken.add(port + CLUSTER_BUS_OFFSET)
    return port
  }
  throw new Error(`no free port pair found in ${LOW}-${HIGH - 1}`)
}

export function releasePort(port: number): void {
  taken.delete(port)
  taken.delete(port + CLUSTER_BUS_OFFSET)
}

/** Absolute path of an executable on PATH, or undefined. */
export function findExecutable(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue
    const candidate = join(dir, name)
    try {
      accessSync(candidate, constants.X_OK)
      return candidate
    } catch {}
  }
  return undefined
}
