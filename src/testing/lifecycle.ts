/** Lifecycle: ping, info, and close (idempotent; every call afterwards rejects with CLOSED). */
import { defineScript } from '../stores/define-script.js'
import { type Suite, sleep, waitFor } from './harness.js'

export function lifecycleTests(suite: Suite): void {
  suite.describe('lifecycle', () => {
    suite.test(
      'ping resolves with a latency in milliseconds; info has redis_version',
      async ({ store, expect }) => {
        const latency = await store.ping()
        expect(typeof latency).toBe('number')
        expect(Number.isFinite(latency) && latency >= 0).toBe(true)
        const info = await store.info()
        expect(typeof info.redis_version).toBe('string')
        expect(info.redis_version!.length).toBeGreaterThan(0)
        expect(typeof store.name).toBe('string')
      },
    )

    suite.test('close ends subscriptions: handlers receive nothing afterwards', async (t) => {
      const own = await t.createStore()
      const received: string[] = []
      await own.subscribe(t.channel('c'), (message) => void received.push(message))
      await own.publish(t.channel('c'), 'before')
      await waitFor(() => received.length >= 1)
      await own.close()
      await t.store.publish(t.channel('c'), 'after')
      await sleep(50)
      t.expect(received).toEqual(['before'])
    })

    suite.test('close is idempotent; every call afterwards rejects with CLOSED', async (t) => {
      const own = await t.createStore()
      const k = t.key('k')
      await own.set(k, 'v')
      await own.subscribe(t.channel('c'), () => {})
      await own.close()
      await own.close()
      const script = defineScript({ name: 'conformance-noop', keys: ['k'], lua: 'return 1', run: () => 1 })
      const calls: [string, () => unknown][] = [
        ['get', () => own.get(k)],
        ['set', () => own.set(k, 'w')],
        ['del', () => own.del([k])],
        ['mget', () => own.mget([k])],
        ['hgetall', () => own.hgetall(k)],
        ['zadd', () => own.zadd(k, [{ member: 'm', score: 1 }])],
        ['publish', () => own.publish(t.channel('c'), 'x')],
        ['ping', () => own.ping()],
        ['info', () => own.info()],
        ['eval', () => own.eval(script, [k], [])],
        ['batch', () => own.batch([['get', k]])],
        ['subscribe', () => own.subscribe(t.channel('c'), () => {})],
        ['psubscribe', () => own.psubscribe(t.channel('*'), () => {})],
        ['scan', () => own.scan({ match: k })[Symbol.asyncIterator]().next()],
      ]
      for (const [label, call] of calls) await t.rejects(`${label} after close`, call, 'CLOSED')
    })
  })
}
