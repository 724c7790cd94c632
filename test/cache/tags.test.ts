/**
 * Tags: invalidation costs the same store calls whatever the number of entries; tagged reads
 * cost no more store calls than untagged ones once the versions are known; versions are fetched
 * with the value when known up front; an entry built while its tag was invalidated is born
 * invalid; a lost tag key never revives entries. Cascade: what a loader reads, it inherits.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { type Cache, createCache } from '../../src/cache/index.js'
import { deletePrefix, storeMatrix, testPrefix } from '../support/stores.js'
import { deferred, type Pair, pair, type Spy, spy, until } from './helpers.js'

describe.each(storeMatrix())('tags on $name', (c) => {
  let p: Pair | undefined
  let s: Spy | undefined
  const caches: Cache[] = []
  let prefix = ''
  afterEach(async () => {
    await Promise.all(caches.splice(0).map((cache) => cache.close()))
    await p?.close()
    p = undefined
    if (s) {
      await deletePrefix(s.store, prefix)
      await s.store.close()
      s = undefined
    }
  })

  async function spied(options: Parameters<typeof createCache>[1] = {}) {
    s ??= spy(c.create())
    prefix ||= testPrefix('tags')
    const cache = createCache(s.store, { prefix, ...options })
    caches.push(cache)
    await cache.ready()
    return cache
  }

  it('invalidating a tag makes the same store calls for 1 entry or 500', async () => {
    const cache = await spied()
    const callsFor = async (tag: string, entries: number) => {
      await cache.setMany(
        Array.from({ length: entries }, (_, i) => ({ key: `${tag}:${i}`, value: i, tags: [tag] })),
      )
      s!.reset()
      await cache.invalidateTags([tag])
      const calls = { ...s!.calls }
      expect(await cache.getMany([`${tag}:0`, `${tag}:${entries - 1}`])).toEqual([undefined, undefined])
      return calls
    }
    const one = await callsFor('one', 1)
    const many = await callsFor('many', 500)
    expect(many).toEqual(one)
    expect(one).toEqual({ eval: 1 }) // one script: the new version, and its bus message
  })

  it('invalidates every entry carrying the tag, and only those', async () => {
    p = await pair(c)
    await p.a.set('a', 1, { tags: ['x', 'y'] })
    await p.a.set('b', 2, { tags: ['y'] })
    await p.a.set('c', 3, { tags: ['z'] })
    await p.a.set('d', 4)
    await p.a.invalidateTags(['x'])
    expect(await p.a.getMany(['a', 'b', 'c', 'd'])).toEqual([undefined, 2, 3, 4])
    await p.b.invalidateTags(['y', 'z'])
    expect(await p.b.getMany(['a', 'b', 'c', 'd'])).toEqual([undefined, undefined, undefined, 4])
    await until(
      'A heard',
      async () => (await p!.a.get('b')) === undefined && (await p!.a.get('c')) === undefined,
    )
  })

  it('a tagged read costs the same store calls as an untagged one once the version is known', async () => {
    const cache = await spied({ l1: false })
    await cache.set('tagged', 't', { tags: ['group'] })
    await cache.set('plain', 'p')
    await cache.get('tagged')
    s!.reset()
    expect(await cache.get('tagged')).toBe('t')
    const tagged = { ...s!.calls }
    s!.reset()
    expect(await cache.get('plain')).toBe('p')
    expect(tagged).toEqual(s!.calls)
    expect(tagged).toEqual({ getBuffer: 1 })
  })

  it('fetches unknown tag versions in the same round trip as the value (getOrSet with tags)', async () => {
    const writer = await spied()
    await writer.set('k', 'v', { tags: ['t1', 't2'] })
    const reader = await spied()
    s!.reset()
    s!.hold('getBuffer')
    const answer = reader.getOrSet('k', () => 'loaded', { tags: ['t1', 't2'] })
    await until('the value read is in flight', () => s!.calls.getBuffer === 1)
    expect(s!.calls.mget).toBe(1) // sent before the value came back
    s!.release()
    expect(await answer).toBe('v')
    expect(s!.calls.mget).toBe(1)
  })

  it('an entry loaded while its tag was invalidated is born invalid, in every process', async () => {
    p = await pair(c)
    const gate = deferred<string>()
    let loading = false
    const answer = p.a.getOrSet(
      'k',
      () => {
        loading = true
        return gate.promise
      },
      { tags: ['t'] },
    )
    await until('A loads', () => loading)
    await p.b.invalidateTags(['t']) // the source changed while A was reading it
    gate.resolve('read before the change')
    expect(await answer).toBe('read before the change') // its caller asked before
    expect(await p.b.get('k')).toBeUndefined()
    await until('A drops it', async () => (await p!.a.get('k')) === undefined)
  })

  it('a lost tag key never revives entries', async () => {
    p = await pair(c)
    await p.a.set('k', 'v', { tags: ['t'] })
    await p.storeA.del([`${p.prefix}cache:t:t`])
    const fresh = createCache(p.storeB, { prefix: p.prefix })
    caches.push(fresh)
    expect(await fresh.get('k')).toBeUndefined()
  })

  it('cascade: an entry built from tagged entries inherits their tags', async () => {
    p = await pair(c)
    await p.a.set('profile:1', { name: 'ada' }, { tags: ['user:1'] })
    await p.a.set('settings', { theme: 'dark' }) // untagged: contributes nothing
    const page = await p.a.getOrSet('page:1', async () => {
      const [profile, settings] = await p!.a.getMany(['profile:1', 'settings'])
      return `${(profile as { name: string }).name}/${(settings as { theme: string }).theme}`
    })
    expect(page).toBe('ada/dark')
    const summary = await p.a.getOrSet('summary', async () => `[${await p!.a.get('page:1')}]`)
    expect(summary).toBe('[ada/dark]')
    await p.a.invalidateTags(['other'])
    expect(await p.a.getMany(['page:1', 'summary'])).toEqual(['ada/dark', '[ada/dark]'])
    await p.b.invalidateTags(['user:1']) // the source changed, in the other process
    expect(await p.b.getMany(['profile:1', 'page:1', 'summary', 'settings'])).toEqual([
      undefined,
      undefined,
      undefined,
      { theme: 'dark' },
    ])
    await until('A drops what was derived', async () => (await p!.a.get('summary')) === undefined)
  })

  it('cascade: nested getOrSet, joined loads and addTags all count', async () => {
    p = await pair(c)
    const gate = deferred()
    const inner = (tag: string) => () =>
      p!.a.getOrSet(
        'inner',
        async () => {
          await gate.promise
          return 'inner value'
        },
        { tags: [tag] },
      )
    const first = p.a.getOrSet('outer1', inner('src'))
    const second = p.a.getOrSet('outer2', inner('src')) // joins the inner load in flight
    const third = p.a.getOrSet('outer3', ({ addTags }) => {
      addTags('extra')
      return 'with extra'
    })
    gate.resolve()
    expect([await first, await second, await third]).toEqual(['inner value', 'inner value', 'with extra'])
    await p.a.invalidateTags(['src'])
    expect(await p.a.getMany(['inner', 'outer1', 'outer2', 'outer3'])).toEqual([
      undefined,
      undefined,
      undefined,
      'with extra',
    ])
    await p.a.invalidateTags(['extra'])
    expect(await p.a.get('outer3')).toBeUndefined()
  })

  it('cascade: false leaves derived entries alone', async () => {
    const cache = await spied({ cascade: false })
    await cache.set('src', 's', { tags: ['t'] })
    await cache.getOrSet('derived', async () => `d(${await cache.get('src')})`)
    await cache.invalidateTags(['t'])
    expect(await cache.getMany(['src', 'derived'])).toEqual([undefined, 'd(s)'])
  })
})
