/**
 * The Node adapter of SSE: serves a connection on an `http.ServerResponse` (node:http,
 * Express, Fastify's raw reply). The request is seen as a Web `Request` by authorize(), like
 * everywhere else; a refused one gets 403. Headers go out at once (no buffering middleware waits
 * for a body), writes follow the socket's backpressure, and the connection closes when the
 * client goes away or a write fails.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Sink, SseConnection } from './connection.js'

interface Source {
  mode: 'live' | 'durable'
  name: string
}

export interface NodeHandlerDeps<S extends Source> {
  check(): S
  allowed(request: Request, name: string, mode: 'live' | 'durable'): Promise<boolean>
  start(sink: Sink, request: Request, source: S): Promise<SseConnection>
  headers: Record<string, string>
  onError(err: unknown): void
}

/** The Web Request of a Node request (method, URL and headers; SSE requests have no body). */
export function toRequest(req: IncomingMessage): Request {
  const headers = new Headers()
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined || name.startsWith(':')) continue
    for (const v of Array.isArray(value) ? value : [value]) headers.append(name, v)
  }
  const host = req.headers.host ?? 'localhost'
  return new Request(new URL(req.url ?? '/', `http://${host}`), { method: req.method ?? 'GET', headers })
}

export async function handleNode<S extends Source>(
  req: IncomingMessage,
  res: ServerResponse,
  deps: NodeHandlerDeps<S>,
) {
  const source = deps.check()
  let request: Request
  try {
    request = toRequest(req)
  } catch {
    res.writeHead(400, { 'content-type': 'text/plain' }).end('Bad Request')
    return
  }
  if (!(await deps.allowed(request, source.name, source.mode))) {
    res.writeHead(403, { 'content-type': 'text/plain' }).end('Forbidden')
    return
  }
  res.writeHead(200, { ...deps.headers, ...(req.httpVersionMajor < 2 ? { connection: 'keep-alive' } : {}) })
  res.flushHeaders()
  const sink: Sink = {
    write: (chunk) => res.write(chunk),
    onDrain: (callback) => void res.once('drain', callback),
    close: () => void res.end(),
  }
  let conn: SseConnection | undefined
  const gone = () => conn?.close()
  res.on('close', gone)
  res.on('error', gone)
  try {
    conn = await deps.start(sink, request, source)
    if (res.destroyed || res.writableEnded) conn.close()
  } catch (err) {
    deps.onError(err)
    res.end() // the browser reconnects after `retry`
  }
}
