/**
 * Server-Sent Events with a plain node:http server: a chat page whose browser side is
 * EventSource. The feed is durable (a stream: reload the page or drop the connection and it
 * resumes with Last-Event-ID, missing nothing); "typing…" notices are live (pub/sub). Every
 * endpoint is authorized: the page carries a token, and only well-formed room names are served.
 *
 *   npx tsx examples/sse-server.ts                  # http://127.0.0.1:3000 on the memory store
 *   REDIS_URL=redis://127.0.0.1:6379 npx tsx examples/sse-server.ts
 *   npx tsx examples/sse-server.ts --check          # starts, talks to itself, exits (CI)
 */
import { randomBytes, timingSafeEqual } from 'node:crypto'
import { createServer, type IncomingMessage } from 'node:http'
import { createKit } from '../src/index.js'
import { createPubSub } from '../src/pubsub/index.js'
import { createSse } from '../src/sse/index.js'
import { createStreams } from '../src/streams/index.js'

const check = process.argv.includes('--check')
const kit = createKit({ prefix: check ? `example:sse:${process.pid}:` : 'example:sse:' })
const streams = createStreams(kit.store, { prefix: kit.prefix, maxLen: 200 })
const pubsub = createPubSub(kit.store, { prefix: kit.prefix })
const token = randomBytes(16).toString('hex')
const ROOM = /^[a-z0-9-]{1,32}$/

const sse = createSse({
  streams,
  pubsub,
  // who may listen to what: here, holders of the page's token, for well-formed rooms only
  authorize(request, channel) {
    const given = Buffer.from(new URL(request.url).searchParams.get('token') ?? '')
    const ok = given.length === token.length && timingSafeEqual(given, Buffer.from(token))
    return ok && /^(chat|typing):[a-z0-9-]{1,32}$/.test(channel)
  },
})

const page = (room: string) => `<!doctype html><meta charset="utf-8"><title>redis-kit SSE chat</title>
<h1>#${room}</h1><ul id="log"></ul><p id="typing"></p>
<form id="f"><input id="t" autocomplete="off" placeholder="say something"><button>send</button></form>
<script>
const q = '?room=${room}&token=${token}', log = document.getElementById('log')
const feed = new EventSource('/events' + q)          // durable: resumes with Last-Event-ID
feed.onmessage = (e) => { const m = JSON.parse(e.data); log.insertAdjacentHTML('beforeend', '<li></li>'); log.lastChild.textContent = m.content }
feed.addEventListener('resync', () => location.reload())
const live = new EventSource('/typing' + q)          // live: pub/sub
live.onmessage = (e) => { document.getElementById('typing').textContent = JSON.parse(e.data) + ' is typing…' }
document.getElementById('t').oninput = () => fetch('/type' + q, { method: 'POST' })
document.getElementById('f').onsubmit = async (e) => { e.preventDefault(); const t = document.getElementById('t')
  await fetch('/send' + q, { method: 'POST', body: t.value }); t.value = '' }
</script>`

async function body(req: IncomingMessage): Promise<string> {
  let text = ''
  for await (const chunk of req) text += chunk
  return text.slice(0, 2000)
}

const server = createServer(async (req, res) => {
  const url = new URL(req.url ?? '/', 'http://localhost')
  const room = url.searchParams.get('room') ?? 'lobby'
  if (!ROOM.test(room)) return void res.writeHead(400).end('bad room')
  try {
    if (url.pathname === '/') return void res.writeHead(200, { 'content-type': 'text/html' }).end(page(room))
    if (url.pathname === '/events') return void (await sse.handle(req, res, { durable: `chat:${room}` }))
    if (url.pathname === '/typing') return void (await sse.handle(req, res, { live: `typing:${room}` }))
    if (req.method === 'POST' && url.searchParams.get('token') === token) {
      if (url.pathname === '/send') {
        const id = await streams.addChatMessage(room, {
          content: await body(req),
          at: new Date().toISOString(),
        })
        return void res.writeHead(200).end(id)
      }
      if (url.pathname === '/type') {
        await pubsub.publish(`typing:${room}`, 'someone')
        return void res.writeHead(204).end()
      }
    }
    res.writeHead(404).end()
  } catch (err) {
    console.error(err)
    res.writeHead(500).end()
  }
})

server.listen(check ? 0 : Number(process.env.PORT ?? 3000), '127.0.0.1', () => {
  const { port } = server.address() as { port: number }
  console.log(`SSE chat on the ${kit.store.name} store: http://127.0.0.1:${port}/?room=lobby`)
  if (check) void selfCheck(`http://127.0.0.1:${port}`).then(shutdown, (err) => shutdown(err))
})
process.on('SIGINT', () => void shutdown())

async function shutdown(err?: unknown): Promise<void> {
  sse.close()
  server.close()
  await Promise.all([streams.close(), pubsub.close()])
  if (check) for await (const keys of kit.store.scan({ match: `${kit.prefix}*` })) await kit.store.del(keys)
  await kit.close()
  if (err) {
    console.error('check failed:', err)
    process.exitCode = 1
  }
}

/** --check: what a browser does, with fetch: read the feed, drop it, resume with Last-Event-ID. */
async function selfCheck(base: string): Promise<void> {
  const q = `?room=check&token=${token}`
  const refused = await fetch(`${base}/events?room=check&token=wrong`)
  if (refused.status !== 403) throw new Error(`expected 403 without the token, got ${refused.status}`)
  const send = (text: string) =>
    fetch(`${base}/send${q}`, { method: 'POST', body: text }).then((r) => r.text())
  const first = await send('one')
  const read = async (lastEventId: string | undefined, want: number) => {
    const controller = new AbortController()
    const headers: Record<string, string> = lastEventId ? { 'last-event-id': lastEventId } : {}
    const response = await fetch(`${base}/events${q}`, { headers, signal: controller.signal })
    const events: { id: string; content: string }[] = []
    let text = ''
    const decoder = new TextDecoder()
    for await (const chunk of response.body!) {
      text += decoder.decode(chunk as Uint8Array, { stream: true })
      for (const m of text.matchAll(/id: (.+)\ndata: (.+)\n\n/g))
        events.push({ id: m[1]!, content: JSON.parse(m[2]!).content })
      if (events.length >= want) break
      text = text.slice(text.lastIndexOf('\n\n') + 2)
    }
    controller.abort()
    return events
  }
  const second = await send('two')
  const resumed = await read(first, 1) // reconnects after "one": gets "two" only
  if (resumed[0]?.id !== second || resumed[0].content !== 'two')
    throw new Error(`resume gave ${JSON.stringify(resumed)}`)
  console.log(`ok: 403 without a token; resumed after ${first} with ${second} ("two"), nothing missed`)
}
