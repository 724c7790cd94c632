/**
 * npx tsx examples/sessions.ts — sessions on the embedded memory store (no Redis needed).
 * With REDIS_URL=redis://127.0.0.1:6379 the very same code runs on Redis (with failover).
 *
 * Log-in with rotation (the fixation defence), versioned updates, a user's devices, "log out my
 * other devices", encryption at rest with key rotation, and express-session over HTTP.
 */
import { randomBytes } from 'node:crypto'
import type { AddressInfo } from 'node:net'
import express from 'express'
import session from 'express-session'
import { createKit, isKitError } from '../src/index.js'
import { createSessions } from '../src/sessions/index.js'

const kit = createKit({ prefix: `example:${randomBytes(3).toString('hex')}:` })
const show = (label: string, value: unknown) => console.log(`  ${label.padEnd(38)} ${JSON.stringify(value)}`)
console.log(`redis-kit sessions — store: ${kit.store.name}\n`)

const sessions = createSessions<{ cart: string[]; user?: string }>(kit.store, {
  prefix: kit.prefix,
  idleTimeout: '30m',
  absoluteTimeout: '12h',
})

console.log('A visitor, then a log-in')
const visitor = await sessions.create({ cart: ['book'] })
show('anonymous id (192 bits, base64url)', visitor.id)
const loggedIn = await sessions.rotate(visitor.id, { userId: 'ada' }) // a new id, same data
show('after log-in: old id still valid?', (await sessions.get(visitor.id)) !== null)
show('new id carries the cart', loggedIn?.data)

console.log('\nConcurrent writers never lose an update')
await Promise.all([
  sessions.update(loggedIn!.id, (d) => ({ ...d, cart: [...d.cart, 'pen'] })),
  sessions.update(loggedIn!.id, (d) => ({ ...d, cart: [...d.cart, 'ink'] })),
])
show('cart after two concurrent updates', (await sessions.get(loggedIn!.id))?.data.cart.sort())
try {
  await sessions.set(loggedIn!.id, { cart: [] }, { version: 1 }) // a stale version
} catch (err) {
  show('a write over a stale version', isKitError(err, 'CONFLICT') ? 'CONFLICT' : err)
}

console.log("\nA user's devices")
const phone = await sessions.create({ cart: [] }, { userId: 'ada' })
await sessions.create({ cart: [] }, { userId: 'ada' })
show("ada's sessions", (await sessions.listForUser('ada')).length)
show('log out my other devices (ended)', await sessions.destroyAllForUser('ada', { except: phone.id }))
show("ada's sessions now", (await sessions.listForUser('ada')).length)
show('live sessions (count, no SCAN)', await sessions.count())

console.log('\nEncryption at rest, with key rotation')
const k1 = { id: 'k1', key: randomBytes(32) }
const k2 = { id: 'k2', key: randomBytes(32) }
const sealed = createSessions(kit.store, { prefix: `${kit.prefix}sealed:`, encryption: { keys: [k1] } })
const secret = await sealed.create({ card: '4242 4242 4242 4242' })
const rotatedKeys = createSessions(kit.store, {
  prefix: `${kit.prefix}sealed:`,
  encryption: { keys: [k2, k1] },
})
show('read with [k2, k1] (k1 wrote it)', (await rotatedKeys.get(secret.id))?.data)
const onlyK2 = createSessions(kit.store, { prefix: `${kit.prefix}sealed:`, encryption: { keys: [k2] } })
onlyK2.on('rejected', ({ reason }) => show('rejected without k1', reason))
await onlyK2.get(secret.id)

console.log('\nexpress-session over HTTP')
const store = sessions.expressStore()
const app = express()
app.use(session({ store, secret: 'example secret', resave: false, saveUninitialized: false }))
app.get('/visit', (req, res) => {
  const s = req.session as unknown as { views?: number }
  s.views = (s.views ?? 0) + 1
  res.json({ views: s.views })
})
const server = app.listen(0, '127.0.0.1')
await new Promise((resolve) => server.once('listening', resolve))
const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/visit`
const first = await fetch(url)
const cookie = first.headers.getSetCookie()[0]!.split(';')[0]!
show('first visit', await first.json())
show('second visit (same cookie)', await (await fetch(url, { headers: { cookie } })).json())
await new Promise((resolve) => server.close(resolve))

// clean up: the express Store's clear() ends every session of its sessions instance
for (const s of [store, sealed.expressStore()]) await new Promise((resolve) => s.clear(resolve))
show('live sessions after clear()', await sessions.count())
await kit.close()
