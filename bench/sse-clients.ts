/**
 * Many SSE clients on loopback for bench/realtime.ts: a node:http server serves `handle`, plain
 * http clients (one socket each) read the event stream, and every message carries its send time
 * (performance.now(), same process) so that each delivery's latency is measured. Bounded: every
 * wait has a deadline.
 */
import {
  Agent,
  createServer,
  type IncomingMessage,
  type request as Request,
  type ServerResponse,
} from 'node:http'

export interface FanOutOptions {
  clients: number
  messages: number
  handle(req: IncomingMessage, res: ServerResponse): void
  publish(i: number): Promise<unknown>
  request: typeof Request
}

async function until(check: () => boolean, what: string, ms = 30_000): Promise<void> {
  for (const end = Date.now() + ms; !check(); await new Promise((r) => setTimeout(r, 2))) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
  }
}

export async function sseFanOut(o: FanOutOptions) {
  const server = createServer(o.handle)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  const agent = new Agent({ keepAlive: false, maxSockets: Number.POSITIVE_INFINITY })
  const latencies: number[] = []
  const received = new Array<number>(o.messages).fill(0)
  let connected = 0
  const requests = Array.from({ length: o.clients }, () => {
    const req = o.request({ host: '127.0.0.1', port, path: '/', agent }, (res) => {
      connected++
      res.setEncoding('utf8')
      let buffer = ''
      res.on('data', (chunk: string) => {
        const now = performance.now()
        buffer += chunk
        let end = buffer.indexOf('\n\n')
        for (; end !== -1; end = buffer.indexOf('\n\n')) {
          const data = /^data: (.*)$/m.exec(buffer.slice(0, end))?.[1]
          buffer = buffer.slice(end + 2)
          if (!data) continue
          const { i, sentAt } = JSON.parse(data) as { i: number; sentAt: number }
          latencies.push(now - sentAt)
          received[i]!++
        }
      })
    })
    req.on('error', () => {})
    req.end()
    return req
  })
  await until(() => connected === o.clients, 'every client to connect')
  await new Promise((r) => setTimeout(r, 200))
  for (let i = 0; i < o.messages; i++) {
    await o.publish(i)
    await until(() => received[i] === o.clients, `message ${i} at every client`)
  }
  for (const req of requests) req.destroy()
  agent.destroy()
  server.closeAllConnections()
  server.close()
  latencies.sort((a, b) => a - b)
  const at = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))]!
  return {
    clients: o.clients,
    messages: o.messages,
    deliveries: latencies.length,
    p50Ms: at(0.5),
    p99Ms: at(0.99),
    maxMs: latencies.at(-1)!,
  }
}
