// End to end: `next build` output served by `next start` against a real redis-server, driven by
// Debian's chromium (playwright-core) and by plain HTTP. Run by ../ci.sh after `next build`.
import assert from 'node:assert/strict'
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { after, before, test } from 'node:test'
import { chromium } from 'playwright-core'
import { APP_DIR, readEvents, redisCommand, startNext, startRedis, waitFor } from './support.mjs'

const CHAT_LIMIT = 5
const PROXY_LIMIT = 300
const RESULTS = join(APP_DIR, 'test-results')
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

let redis
let app
let app2 // a second instance on the same Redis
let browser

before(async () => {
  redis = await startRedis()
  app = await startNext({
    REDIS_URL: redis.url,
    REDIS_KEY_PREFIX: 'e2e:',
    CHAT_RATE_LIMIT: String(CHAT_LIMIT),
    PROXY_RATE_LIMIT: String(PROXY_LIMIT),
  })
  mkdirSync(RESULTS, { recursive: true })
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
    ],
  })
})

after(async () => {
  await browser?.close().catch(() => {})
  if (process.exitCode && app) console.error(app.child.log())
  if (process.exitCode && app2) console.error(app2.child.log())
  await app2?.stop()
  await app?.stop()
  await redis?.stop()
})

/** A plain HTTP client with its own cookie jar (one signed-in user). */
class Client {
  cookie = ''
  async fetch(path, init = {}) {
    const headers = new Headers(init.headers)
    if (this.cookie) headers.set('cookie', this.cookie)
    const response = await fetch(`${app.url}${path}`, { ...init, headers })
    const setCookie = response.headers.get('set-cookie')
    if (setCookie) this.cookie = setCookie.split(';')[0]
    return response
  }
  post(path, body, init = {}) {
    return this.fetch(path, {
      ...init,
      method: 'POST',
      headers: { 'content-type': 'application/json', ...init.headers },
      body: JSON.stringify(body),
    })
  }
  async signIn(userId) {
    const response = await this.post('/api/auth/signin', { userId })
    assert.equal(response.status, 200)
    return this
  }
  async chat(conversationId, message) {
    const response = await this.post('/api/chat', { conversationId, message })
    const chunks = []
    if (response.body)
      for await (const chunk of response.body.pipeThrough(new TextDecoderStream())) chunks.push(chunk)
    return { response, text: chunks.join(''), chunks }
  }
}

async function modelCalls() {
  const status = await (await fetch(`${app.url}/api/redis/status`)).json()
  return status.fakeModel.calls
}

/** A browser context (its own cookies) on the page, signed in as `userId` through the form. */
async function signedInPage(userId) {
  const context = await browser.newContext()
  const page = await context.newPage()
  await page.goto(`${app.url}/`)
  await page.fill('#user', userId)
  await page.click('#sign-in')
  await page.waitForSelector('#whoami')
  assert.equal(await page.textContent('#whoami'), userId)
  await waitFor('the SSE connection', async () => (await page.textContent('#live')) === 'live')
  return { context, page }
}

test('sign-in sets an HttpOnly SameSite cookie and rotates the session id', async () => {
  const client = await new Client().signIn('rotor')
  const first = client.cookie
  const again = await client.post('/api/auth/signin', { userId: 'rotor' })
  const setCookie = again.headers.get('set-cookie')
  assert.match(setCookie, /^sid=[A-Za-z0-9_-]{32}; Path=\/; HttpOnly; SameSite=Lax; Max-Age=\d+$/)
  assert.notEqual(client.cookie, first, 'a new session id at sign-in')
  assert.equal((await client.fetch('/api/session')).status, 200)
  const stale = await fetch(`${app.url}/api/session`, { headers: { cookie: first } })
  assert.equal(stale.status, 401, 'the id from before sign-in is dead')
  const https = await new Client().post(
    '/api/auth/signin',
    { userId: 'rotor' },
    { headers: { 'x-forwarded-proto': 'https' } },
  )
  assert.match(https.headers.get('set-cookie'), /; Secure$/)
})

let alice1
let alice2

test('two contexts of the same user: a message sent in one appears live in the other', async () => {
  alice1 = await signedInPage('alice')
  alice2 = await signedInPage('alice')
  const question = 'I had a dream about music and travel'
  await alice1.page.fill('#message', question)
  await alice1.page.click('#send')
  // The other context receives the user's message and the answer over its EventSource.
  await alice2.page.waitForSelector(`li.msg.user:has-text("${question}")`, { timeout: 10_000 })
  const answer = await alice2.page.waitForSelector('li.msg.assistant', { timeout: 10_000 })
  assert.match(await answer.textContent(), /You asked "I had a dream about music and travel"/)
  // The live notice refreshed the other context's stats panel, trending themes included.
  await alice2.page.waitForFunction(() => Number(document.querySelector('#total')?.textContent) >= 1)
  const themes = await alice2.page.textContent('#themes')
  for (const theme of ['dreams', 'music', 'travel']) assert.ok(themes.includes(theme), `${theme} trending`)
  await alice2.page.screenshot({ path: join(RESULTS, 'live-update.png'), fullPage: true })
  assert.equal(await alice1.page.locator('li.msg').count(), 2)
})

test('one kit per server process: a fixed handful of Redis connections, whatever the traffic', async () => {
  // CLIENT LIST lists every connection, this one included.
  const connections = async () =>
    (await redisCommand(redis.port, ['CLIENT', 'LIST'])).match(/^id=/gm).length - 1
  const before = await connections()
  const client = await new Client().signIn('erin')
  await Promise.all(Array.from({ length: 4 }, (_, i) => client.chat(`erin-${i}`, `hello ${i}`)))
  await Promise.all(Array.from({ length: 10 }, () => fetch(`${app.url}/api/redis/analytics`)))
  const after = await connections()
  console.log(`redis connections of the app: ${before} before, ${after} after`)
  assert.equal(after, before, 'requests open no connections')
  assert.ok(after <= 4, `at most 4 connections (commands, subscriber, blocking reads): ${after}`)
})

test('the same question twice calls the fake model once (LLM cache, streaming replay)', async () => {
  const client = await new Client().signIn('dave')
  const question = `What is a good recipe? ${Date.now()}`
  const before = await modelCalls()
  const first = await client.chat('dave-1', question)
  const second = await client.chat('dave-1', question)
  assert.equal(first.response.status, 200)
  assert.equal(second.response.status, 200)
  assert.equal(second.text, first.text, 'the replayed answer is the recorded one')
  assert.ok(first.chunks.length > 1, `the model's answer streamed: ${first.chunks.length} reads`)
  assert.ok(
    second.chunks.length > 1,
    `the cached answer is replayed as a stream: ${second.chunks.length} reads`,
  )
  assert.equal(await modelCalls(), before + 1)
  // The cache key is the request (model, messages, temperature), not the conversation or the user.
  const other = await new Client().signIn('gina')
  const third = await other.chat('gina', question)
  assert.equal(third.text, first.text)
  assert.equal(await modelCalls(), before + 1)
  const cache = await (await fetch(`${app.url}/api/redis/status`)).json()
  assert.ok(cache.llm.hits >= 2, `LLM cache hits: ${JSON.stringify(cache.llm)}`)
})

test("another user gets 403 on the first user's channels and history", async () => {
  const bob = await signedInPage('bob')
  const status = (path) => bob.page.evaluate(async (p) => (await fetch(p)).status, path)
  assert.equal(await status('/api/redis/realtime?channel=chat:alice'), 403)
  assert.equal(await status('/api/redis/realtime?channel=user:alice'), 403)
  assert.equal(await status('/api/redis/stream?conversationId=alice'), 403)
  const post = await bob.context.request.post(`${app.url}/api/chat`, {
    data: { conversationId: 'alice', message: 'let me in' },
  })
  assert.equal(post.status(), 403)
  // Bob's own conversation is his; nobody signed in gets nothing.
  assert.equal(await status('/api/redis/stream?conversationId=bobs'), 200)
  const anonymous = await fetch(`${app.url}/api/redis/realtime?channel=chat:alice`)
  assert.equal(anonymous.status, 403)
  // Alice still reads her own conversation.
  const own = await alice2.page.evaluate(
    async () => (await fetch('/api/redis/stream?conversationId=alice')).status,
  )
  assert.equal(own, 200)
  await bob.context.close()
})

test('bursting the chat route yields 429 with RateLimit headers and Retry-After', async () => {
  const client = await new Client().signIn('burst')
  const results = await Promise.all(
    Array.from({ length: CHAT_LIMIT + 3 }, (_, i) => client.chat('burst', `burst ${i}`)),
  )
  const statuses = results.map((r) => r.response.status)
  assert.equal(statuses.filter((s) => s === 200).length, CHAT_LIMIT, `statuses: ${statuses}`)
  assert.equal(statuses.filter((s) => s === 429).length, 3)
  const denied = results.find((r) => r.response.status === 429).response
  assert.ok(Number(denied.headers.get('retry-after')) >= 1, 'Retry-After')
  assert.equal(denied.headers.get('ratelimit-policy'), `"chat";q=${CHAT_LIMIT};w=60`)
  assert.match(denied.headers.get('ratelimit'), /^"chat";r=0;t=\d+$/)
  assert.equal(denied.headers.get('x-ratelimit-remaining'), '0')
  const allowed = results.find((r) => r.response.status === 200).response
  assert.match(allowed.headers.get('ratelimit'), /^"chat";r=\d+;t=\d+$/)
})

test('an SSE connection dropped and reopened with Last-Event-ID misses nothing', async () => {
  const carol = await new Client().signIn('carol')
  const channel = '/api/redis/realtime?channel=chat:resume'
  await carol.chat('resume', 'first question')
  const controller = new AbortController()
  const response = await carol.fetch(channel, { signal: controller.signal })
  assert.equal(response.status, 200)
  assert.match(response.headers.get('content-type'), /^text\/event-stream/)
  const seen = await readEvents(response, (events) => events.length >= 2)
  controller.abort() // the connection drops
  assert.equal(seen.length, 2)
  const lastId = seen.at(-1).id
  // Written while the client is away.
  await carol.chat('resume', 'second question')
  await carol.chat('resume', 'third question, about code')
  const reopened = await carol.fetch(channel, { headers: { 'last-event-id': lastId } })
  assert.equal(reopened.status, 200)
  const missed = await readEvents(reopened, (events) => events.length >= 4)
  const history = await (await carol.fetch('/api/redis/stream?conversationId=resume&limit=100')).json()
  const expected = history.items.map((item) => item.id).reverse()
  assert.deepEqual(
    [...seen, ...missed].map((e) => e.id),
    expected,
    'every entry exactly once, in order',
  )
  assert.deepEqual(
    missed.map((e) => e.data.role),
    ['user', 'assistant', 'user', 'assistant'],
  )
  assert.equal(missed[0].data.content, 'second question')
  assert.equal(missed[2].data.content, 'third question, about code')
  assert.match(missed[1].data.content, /You asked "second question"/)
  assert.match(missed[3].data.content, /You asked "third question, about code"/)
})

test('the history endpoint pages by entry id', async () => {
  const carol = await new Client().signIn('carol')
  const page1 = await (await carol.fetch('/api/redis/stream?conversationId=resume&limit=4')).json()
  assert.equal(page1.items.length, 4)
  const page2 = await (
    await carol.fetch(`/api/redis/stream?conversationId=resume&limit=4&before=${page1.next}`)
  ).json()
  assert.equal(page2.items.length, 2)
  assert.equal(page2.next, null)
  const ids = [...page1.items, ...page2.items].map((item) => item.id)
  assert.deepEqual(ids, [...ids].sort().reverse())
  assert.equal(page2.items.at(-1).data.content, 'first question')
})

test('revalidateTag regenerates a cached page on every instance: the caches live in Redis', async () => {
  app2 = await startNext({
    REDIS_URL: redis.url,
    REDIS_KEY_PREFIX: 'e2e:',
    PROXY_RATE_LIMIT: String(PROXY_LIMIT),
  })
  const token = async (base = app.url) => {
    const html = await (await fetch(`${base}/cached`)).text()
    return html.match(/id="token">([0-9a-f-]{36})</)[1]
  }
  const first = await token()
  assert.equal(await token(), first, 'served from the cache')
  assert.equal(await token(app2.url), first, 'the other instance serves the same entry')
  const keys = await redisCommand(redis.port, ['KEYS', 'e2e:cache:v:next-*'])
  assert.match(keys, /next-use-cache:/, "the 'use cache' entry is in Redis")
  assert.match(keys, /next-isr:/, 'the page is in Redis')
  const revalidated = await fetch(`${app.url}/api/revalidate`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ tag: 'greeting' }),
  })
  assert.equal(revalidated.status, 200)
  const second = await waitFor('a regenerated page', async () => {
    const now = await token()
    return now !== first && now
  })
  assert.equal(await token(), second, 'the regenerated page is cached again')
  assert.equal(await token(app2.url), second, 'the other instance sees the regenerated page')
})

test('a message sent through one instance reaches an SSE client of the other', async () => {
  const frank = await new Client().signIn('frank')
  const response = await fetch(`${app2.url}/api/redis/realtime?channel=chat:frank`, {
    headers: { cookie: frank.cookie },
  })
  assert.equal(response.status, 200, 'the session, in Redis, is valid on both instances')
  const received = readEvents(response, (events) => events.length >= 2)
  const sent = await frank.chat('frank', 'hello from the first instance')
  assert.equal(sent.response.status, 200)
  const events = await received
  assert.deepEqual(
    events.map((e) => [e.data.role, e.data.content]),
    [
      ['user', 'hello from the first instance'],
      ['assistant', sent.text],
    ],
  )
})

test('proxy.ts rate limits /api/redis/* per client address', async () => {
  // The test plays the load balancer in front of the app: it appends the client's address.
  const from = (address) => ({ headers: { 'x-forwarded-for': `10.9.8.7, ${address}` } })
  const one = await fetch(`${app.url}/api/redis/status`, from('203.0.113.7'))
  const two = await fetch(`${app.url}/api/redis/status`, from('203.0.113.7'))
  assert.equal(one.headers.get('ratelimit-policy'), `"api";q=${PROXY_LIMIT};w=60`)
  assert.equal(one.headers.get('ratelimit'), `"api";r=${PROXY_LIMIT - 1};t=60`)
  assert.equal(two.headers.get('ratelimit'), `"api";r=${PROXY_LIMIT - 2};t=60`)
  // The rest of the minute's quota, then 5 more: exactly those 5 are refused, by the proxy.
  const statuses = []
  for (let sent = 2; sent < PROXY_LIMIT + 5; sent += 50) {
    const batch = Array.from({ length: Math.min(50, PROXY_LIMIT + 5 - sent) }, () =>
      fetch(`${app.url}/api/redis/stream`, from('203.0.113.7')),
    )
    for (const response of await Promise.all(batch)) {
      statuses.push(response.status)
      if (response.status === 429) {
        assert.ok(Number(response.headers.get('retry-after')) >= 1)
        assert.match(response.headers.get('ratelimit'), /^"api";r=0;t=\d+$/)
      }
    }
  }
  assert.equal(statuses.filter((s) => s === 429).length, 5)
  assert.equal(statuses.filter((s) => s === 400).length, PROXY_LIMIT - 2, 'the others reached the route')
  const other = await fetch(`${app.url}/api/redis/status`, from('198.51.100.1'))
  assert.equal(other.status, 200, 'another client has its own quota')
  assert.equal(
    (await fetch(`${app.url}/api/session`)).headers.get('ratelimit'),
    null,
    'other paths are not limited',
  )
})

test('with Redis stopped mid-test the app keeps answering', async () => {
  await redis.stop()
  const status = await waitFor('the kit to report degraded', async () => {
    const body = await (await fetch(`${app.url}/api/redis/status`)).json()
    return body.status === 'degraded' && body
  })
  assert.equal(status.store, 'redis')
  // Sessions made before the outage are in Redis only: sign in again (served from memory).
  await alice1.page.reload()
  await alice1.page.fill('#user', 'alice')
  await alice1.page.click('#sign-in')
  await alice1.page.waitForSelector('#whoami')
  await waitFor('the SSE connection', async () => (await alice1.page.textContent('#live')) === 'live')
  await alice1.page.fill('#message', 'still there without redis?')
  await alice1.page.click('#send')
  await alice1.page.waitForSelector('li.msg.assistant:has-text("still there without redis")', {
    timeout: 10_000,
  })
  const analytics = await fetch(`${app.url}/api/redis/analytics`)
  assert.equal(analytics.status, 200)
  assert.equal((await fetch(`${app.url}/`)).status, 200)
  assert.equal((await fetch(`${app.url}/cached`)).status, 200)
})
