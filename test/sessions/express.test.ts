/**
 * The express-session Store, end to end on every store: the real express and express-session
 * packages, a real HTTP server on 127.0.0.1, requests with fetch, cookies carried across them.
 */
import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import express from 'express'
import session from 'express-session'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { isKitError } from '../../src/errors.js'
import type { ExpressSessionData, ExpressStore, Sessions } from '../../src/sessions/index.js'
import { storeMatrix } from '../support/stores.js'
import { useSessions } from './helpers.js'

declare module 'express-session' {
  interface SessionData {
    views?: number
    user?: string
  }
}

/** A browser: one cookie jar, JSON requests. */
class Browser {
  cookie = ''
  constructor(private readonly base: () => string) {}
  async call(method: string, path: string, body?: unknown) {
    const res = await fetch(this.base() + path, {
      method,
      headers: {
        ...(this.cookie ? { cookie: this.cookie } : {}),
        ...(body ? { 'content-type': 'application/json' } : {}),
      },
      ...(body ? { body: JSON.stringify(body) } : {}),
    })
    const set = res.headers.getSetCookie().find((c) => c.startsWith('sid='))
    if (set) this.cookie = set.split(';')[0]!
    return { status: res.status, body: (await res.json()) as Record<string, unknown> }
  }
}

const promised = <R>(fn: (cb: (err: unknown, result?: R) => void) => void) =>
  new Promise<R | undefined>((resolve, reject) => fn((err, result) => (err ? reject(err) : resolve(result))))

describe.each(storeMatrix())('express-session over HTTP on $name', (storeCase) => {
  const h = useSessions(storeCase)
  let server: Server
  let base = ''
  let sessions: Sessions
  let store: ExpressStore

  beforeAll(async () => {
    sessions = h.sessions()
    store = sessions.expressStore()
    const app = express()
    app.use(express.json())
    app.use(
      session({
        store,
        secret: 'a test secret',
        name: 'sid',
        resave: false,
        saveUninitialized: false,
        cookie: { maxAge: 60_000, sameSite: 'lax' },
      }),
    )
    app.get('/visit', (req, res) => {
      req.session.views = (req.session.views ?? 0) + 1
      res.json({ views: req.session.views })
    })
    app.get('/me', (req, res) => {
      res.json({ user: req.session.user ?? null, views: req.session.views ?? 0 })
    })
    app.post('/login', async (req, res, next) => {
      try {
        await store.rotate(req, { userId: req.body.user })
        req.session.user = req.body.user
        res.json({ ok: true })
      } catch (err) {
        next(err)
      }
    })
    app.post('/logout', (req, res, next) => {
      req.session.destroy((err) => (err ? next(err) : res.json({ ok: true })))
    })
    app.post('/logout-everywhere', async (req, res) => {
      res.json({ ended: await sessions.destroyAllForUser(req.session.user!) })
    })
    app.use((err: Error, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
      res.status(500).json({ error: err.message })
    })
    server = app.listen(0, '127.0.0.1')
    await new Promise((resolve) => server.once('listening', resolve))
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  })
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve))
  })

  it('keeps a session across requests, with the cookie max-age as its idle timeout', async () => {
    const browser = new Browser(() => base)
    for (const views of [1, 2, 3]) expect((await browser.call('GET', '/visit')).body).toEqual({ views })
    const sid = decodeURIComponent(browser.cookie.slice(4)).slice(2).split('.')[0]!
    const stored = await sessions.get(sid)
    expect(stored!.data).toMatchObject({ views: 3, cookie: { httpOnly: true, sameSite: 'lax' } })
    // express-session computes originalMaxAge from a clock reading: 60 000, or a millisecond less
    expect((stored!.data.cookie as { originalMaxAge: number }).originalMaxAge).toBeGreaterThan(59_000)
    // the idle deadline is the cookie's: at most 60 s after the last write
    expect(stored!.expiresAt - Date.now()).toBeLessThanOrEqual(60_000)
    expect(stored!.expiresAt - Date.now()).toBeGreaterThan(30_000)
  })

  it('log-in rotates the id and keeps the data; the old cookie is dead (fixation)', async () => {
    const browser = new Browser(() => base)
    await browser.call('GET', '/visit')
    const before = browser.cookie
    expect((await browser.call('POST', '/login', { user: 'ada' })).body).toEqual({ ok: true })
    expect(browser.cookie).not.toBe(before)
    expect((await browser.call('GET', '/me')).body).toEqual({ user: 'ada', views: 1 })
    const attacker = new Browser(() => base)
    attacker.cookie = before // the id planted before log-in
    expect((await attacker.call('GET', '/me')).body).toEqual({ user: null, views: 0 })
    expect((await sessions.listForUser('ada')).map((s) => s.data.user)).toEqual(['ada'])
  })

  it('"log out everywhere" ends the sessions of every device; log-out ends one', async () => {
    const laptop = new Browser(() => base)
    const phone = new Browser(() => base)
    await laptop.call('POST', '/login', { user: 'bea' })
    await phone.call('POST', '/login', { user: 'bea' })
    expect(await sessions.listForUser('bea')).toHaveLength(2)
    expect((await phone.call('POST', '/logout-everywhere')).body).toEqual({ ended: 2 })
    expect((await laptop.call('GET', '/me')).body).toEqual({ user: null, views: 0 })
    expect((await phone.call('GET', '/me')).body).toEqual({ user: null, views: 0 })
    await laptop.call('POST', '/login', { user: 'cal' })
    expect((await laptop.call('GET', '/me')).body.user).toBe('cal')
    await laptop.call('POST', '/logout')
    expect((await laptop.call('GET', '/me')).body.user).toBeNull()
    expect(await sessions.listForUser('cal')).toEqual([])
  })

  it('the Store API: length, all, touch, clear', async () => {
    const browser = new Browser(() => base)
    await browser.call('POST', '/login', { user: 'dot' })
    const length = await promised<number>((cb) => store.length(cb))
    expect(length).toBe(await sessions.count())
    const all = (await promised<ExpressSessionData[]>((cb) => store.all(cb)))!
    expect(all.length).toBe(length)
    expect(all.some((s) => s.user === 'dot')).toBe(true)
    for (const s of all) expect(Object.keys(s)).not.toContain('id')
    await promised((cb) => store.touch('A'.repeat(32), { cookie: {} }, cb))
    await promised((cb) => store.clear(cb))
    expect(await promised<number>((cb) => store.length(cb))).toBe(0)
    expect((await browser.call('GET', '/me')).body.user).toBeNull()
  })

  it('touches are throttled in the process: express-session touches every request, Redis rarely', async () => {
    const browser = new Browser(() => base)
    await browser.call('GET', '/visit')
    const sid = decodeURIComponent(browser.cookie.slice(4)).slice(2).split('.')[0]!
    const read = (await promised<ExpressSessionData | null>((cb) => store.get(sid, cb)))!
    const evals = vi.spyOn(h.store(), 'eval')
    try {
      await promised((cb) => store.touch(sid, read, cb)) // just written: not due for 6 s (10% of 60 s)
      expect(evals).not.toHaveBeenCalled()
      read.cookie.redisKitTouchAt = 0
      await promised((cb) => store.touch(sid, read, cb))
      expect(evals).toHaveBeenCalledTimes(1)
    } finally {
      evals.mockRestore()
    }
  })

  it('a save over a session changed meanwhile fails with CONFLICT; a destroyed one is not resurrected', async () => {
    const browser = new Browser(() => base)
    await browser.call('GET', '/visit')
    const sid = decodeURIComponent(browser.cookie.slice(4)).slice(2).split('.')[0]!
    // two requests read the session, both change it; the second save would lose the first
    const first = (await promised<ExpressSessionData | null>((cb) => store.get(sid, cb)))!
    const second = (await promised<ExpressSessionData | null>((cb) => store.get(sid, cb)))!
    await promised((cb) => store.set(sid, { ...first, views: 10 }, cb))
    const err = await promised((cb) => store.set(sid, { ...second, views: 20 }, cb)).catch((e: unknown) => e)
    expect(isKitError(err, 'CONFLICT')).toBe(true)
    expect((await browser.call('GET', '/me')).body.views).toBe(10)
    // a request still holding the session saves after a log-out: the session stays ended
    const held = (await promised<ExpressSessionData | null>((cb) => store.get(sid, cb)))!
    await promised((cb) => store.destroy(sid, cb))
    await promised((cb) => store.set(sid, { ...held, views: 99 }, cb))
    expect(await promised((cb) => store.get(sid, cb))).toBeNull()
  })
})
