/**
 * Pub/sub: SUBSCRIBE/PSUBSCRIBE delivery, unsubscribing, several handlers, escaped patterns, and
 * PUBLISH's receiver count. Waits are bounded polls; absence is checked after a later message
 * arrived (plus a short settle, since on a cluster messages may travel different nodes).
 */
import { escapeGlob } from '../internal/keys.js'
import { type Suite, sleep, waitFor } from './harness.js'

const SETTLE_MS = 50

function recorder() {
  const calls: string[][] = []
  return { calls, handler: (...args: string[]) => void calls.push(args) }
}

export function pubsubTests(suite: Suite): void {
  suite.describe('pub/sub', () => {
    suite.test('subscribe receives (message, channel); Buffers arrive as text', async (t) => {
      const { store, expect } = t
      const ch = t.channel('news')
      const r = recorder()
      t.defer(await store.subscribe(ch, r.handler))
      const receivers = await store.publish(ch, 'one')
      await store.publish(ch, 'two')
      await store.publish(ch, Buffer.from('three ✓'))
      await waitFor(() => r.calls.length >= 3)
      const expected = [
        ['one', ch],
        ['two', ch],
        ['three ✓', ch],
      ]
      expect(t.cluster ? r.calls.sort() : r.calls).toEqual(t.cluster ? expected.sort() : expected)
      if (t.cluster) expect(receivers).toBeLessThanOrEqual(1)
      else expect(receivers).toBe(1)
      expect(await store.publish(t.channel('nobody'), 'x')).toBe(0)
    })

    suite.test('psubscribe receives (message, channel, pattern); publish counts it', async (t) => {
      const { store, expect } = t
      const pattern = `${escapeGlob(t.channel('news.'))}*`
      const [direct, matched] = [recorder(), recorder()]
      t.defer(await store.psubscribe(pattern, matched.handler))
      t.defer(await store.subscribe(t.channel('news.sports'), direct.handler))
      await store.publish(t.channel('weather'), 'no')
      const receivers = await store.publish(t.channel('news.sports'), 'goal')
      await store.publish(t.channel('news.'), 'empty suffix')
      await waitFor(() => matched.calls.length >= 2 && direct.calls.length >= 1)
      await sleep(SETTLE_MS)
      expect(matched.calls.sort()).toEqual(
        [
          ['empty suffix', t.channel('news.'), pattern],
          ['goal', t.channel('news.sports'), pattern],
        ].sort(),
      )
      expect(direct.calls).toEqual([['goal', t.channel('news.sports')]])
      if (t.cluster) expect(receivers).toBeLessThanOrEqual(2)
      else expect(receivers).toBe(2)
    })

    suite.test('escaped glob characters in a pattern match literally', async (t) => {
      const { store, expect } = t
      const literal = t.channel('a*b?[c]\\')
      const r = recorder()
      t.defer(await store.psubscribe(escapeGlob(literal), r.handler))
      for (const other of ['aXbY[c]\\', 'a*b?c\\', 'a*b?[c]', 'a*b?[c]\\x'])
        await store.publish(t.channel(other), 'wrong')
      await store.publish(literal, 'right')
      await waitFor(() => r.calls.length >= 1)
      await sleep(SETTLE_MS)
      expect(r.calls).toEqual([['right', literal, escapeGlob(literal)]])
    })

    suite.test('two handlers on one channel both receive; unsubscribe stops only its own', async (t) => {
      const { store, expect } = t
      const ch = t.channel('c')
      const [first, second] = [recorder(), recorder()]
      const unsubscribeFirst = await store.subscribe(ch, first.handler)
      const unsubscribeSecond = await store.subscribe(ch, second.handler)
      t.defer(unsubscribeFirst)
      t.defer(unsubscribeSecond)
      await store.publish(ch, 'm1')
      await waitFor(() => first.calls.length >= 1 && second.calls.length >= 1)
      expect(first.calls).toEqual([['m1', ch]])
      expect(second.calls).toEqual([['m1', ch]])
      await unsubscribeFirst()
      await unsubscribeFirst() // idempotent
      await store.publish(ch, 'm2')
      await waitFor(() => second.calls.length >= 2)
      await sleep(SETTLE_MS)
      expect(first.calls).toEqual([['m1', ch]])
      expect(second.calls).toEqual([
        ['m1', ch],
        ['m2', ch],
      ])
      await unsubscribeSecond()
      expect(await store.publish(ch, 'm3')).toBe(0)
      await sleep(SETTLE_MS)
      expect(second.calls).toHaveLength(2)
    })

    suite.test('the same function subscribed twice is two subscriptions', async (t) => {
      const { store, expect } = t
      const ch = t.channel('c')
      const r = recorder()
      const once = await store.subscribe(ch, r.handler)
      const twice = await store.subscribe(ch, r.handler)
      t.defer(twice)
      await store.publish(ch, 'x')
      await waitFor(() => r.calls.length >= 2)
      expect(r.calls).toEqual([
        ['x', ch],
        ['x', ch],
      ])
      await once()
      await store.publish(ch, 'y')
      await waitFor(() => r.calls.length >= 3)
      await sleep(SETTLE_MS)
      expect(r.calls).toHaveLength(3)
    })

    suite.test('punsubscribe stops pattern delivery', async (t) => {
      const { store, expect } = t
      const r = recorder()
      const stop = await store.psubscribe(`${escapeGlob(t.channel(''))}*`, r.handler)
      t.defer(stop)
      await store.publish(t.channel('x'), '1')
      await waitFor(() => r.calls.length >= 1)
      await stop()
      expect(await store.publish(t.channel('x'), '2')).toBe(0)
      await sleep(SETTLE_MS)
      expect(r.calls.map((c) => c[0])).toEqual(['1'])
    })

    suite.test('a handler that throws does not stop delivery to the others', async (t) => {
      const { store, expect } = t
      const ch = t.channel('c')
      const r = recorder()
      t.defer(
        await store.subscribe(ch, () => {
          throw new Error('handler failure (expected by the conformance suite)')
        }),
      )
      t.defer(await store.subscribe(ch, r.handler))
      await store.publish(ch, 'a')
      await store.publish(ch, 'b')
      await waitFor(() => r.calls.length >= 2)
      expect(r.calls.map((c) => c[0]).sort()).toEqual(['a', 'b'])
    })
  })
}
