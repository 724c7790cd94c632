/**
 * The memory store lays streams out in nodes exactly as Redis does (at most 100 entries or 4096
 * listpack bytes each), which is what approximate trimming (`~`) depends on. The layout is made
 * visible through the contract: `XTRIM MINID ~ x` removes exactly the whole nodes whose last id
 * is below x, so raising x one id at a time reveals every node boundary and size. Both stores
 * must reveal the same ones, for entries of every shape that changes the encoding.
 */
import { randomBytes } from 'node:crypto'
import { afterAll, describe, expect, it } from 'vitest'
import { createMemoryStore, createRedisStore } from '../../src/stores/index.js'
import type { Store, StoreValue } from '../../src/stores/types.js'
import { redisUrl } from '../support/env.js'

type Shape = (i: number) => { id: string; fields: Record<string, StoreValue> }
const fieldsOf = (fields: Record<string, StoreValue>) => fields

const SHAPES: Record<string, [number, Shape]> = {
  'small entries (count-bound nodes)': [260, (i) => ({ id: `${i + 1}-0`, fields: { n: String(i) } })],
  'wide entries (byte-bound nodes)': [
    200,
    (i) => ({ id: `${i + 1}-0`, fields: { n: String(i), v: 'x'.repeat(40 + (i % 9)) } }),
  ],
  'fields that differ from the master entry': [
    150,
    (i) => ({
      id: `${i + 1}-0`,
      fields: i % 3 ? fieldsOf({ a: 'x'.repeat(30), [`f${i % 4}`]: '1' }) : fieldsOf({ b: 'y'.repeat(20) }),
    }),
  ],
  'integers, long strings, multi-byte text and Buffers': [
    160,
    (i) => ({
      id: `${i + 1}-${i % 3}`,
      fields: {
        int: [0, 127, 128, -1, 4095, 4096, 40_000, -9_000_000, 2 ** 40][i % 9]!,
        text: i % 4 === 0 ? 'é😀'.repeat(i % 30) : String(10 ** (i % 20)),
        raw: Buffer.from([i % 256, 0, 255]),
      },
    }),
  ],
  'strings around the 64-byte header step': [
    150,
    (i) => ({ id: `${i + 1}-0`, fields: { v: 'z'.repeat(50 + (i % 30)) } }),
  ],
  'integers of every width, in byte-bound nodes': [
    300,
    (i) => ({
      id: `${i + 1}-0`,
      fields: {
        a: [100, 127, 128, 4095, 4096, -4097, 32768, 8388608, 2 ** 31, 2 ** 33][i % 10]!,
        b: String(120 + (i % 9)),
        pad: 'x'.repeat(20 + (i % 13)),
      },
    }),
  ],
  'strings around the 127-byte back-length step': [
    120,
    (i) => ({ id: `${i + 1}-0`, fields: { v: 'q'.repeat(110 + (i % 30)) } }),
  ],
  'an entry larger than a node': [
    40,
    (i) => ({ id: `${i + 1}-0`, fields: { v: 'z'.repeat(i % 10 === 0 ? 5000 : 100) } }),
  ],
  'ids far apart (wide id deltas)': [
    150,
    (i) => ({ id: `${1 + i * 1_000_003}-${(i * 7919) % 100_000}`, fields: { n: String(i) } }),
  ],
}

/** [x, removed] for every x where `XTRIM MINID ~ x` removed something. */
async function layout(store: Store, key: string, ids: bigint[]): Promise<[string, number][]> {
  const steps: [string, number][] = []
  for (const id of ids) {
    const next = `${id >> 64n}-${id & ((1n << 64n) - 1n)}`
    const removed = await store.xtrim(key, { minid: next, approximate: true })
    if (removed > 0) steps.push([next, removed])
  }
  return steps
}

function parse(id: string): bigint {
  const [ms, seq] = id.split('-').map(BigInt)
  return (ms! << 64n) | seq!
}

describe('stream node layout: memory = Redis', () => {
  const redis = createRedisStore(redisUrl())
  const prefix = `layout:${randomBytes(4).toString('hex')}:`
  afterAll(() => redis.close())

  for (const [name, [count, shape]] of Object.entries(SHAPES)) {
    it(name, async () => {
      const memory = createMemoryStore()
      const key = `${prefix}${name}`
      const entries = Array.from({ length: count }, (_, i) => shape(i))
      const probes = entries.map((e) => parse(e.id) + 1n)
      const results: [string, number][][] = []
      try {
        for (const store of [memory, redis]) {
          for (const [i, e] of entries.entries()) {
            await store.xadd(key, e.fields, { id: e.id })
            // deleted entries stay in their node (flagged) and still count towards its 100
            if (i % 13 === 7) expect(await store.xdel(key, [entries[i - 3]!.id])).toBe(1)
          }
          results.push(await layout(store, key, probes))
          expect(await store.xlen(key)).toBe(0)
        }
        expect(results[0]!.length).toBeGreaterThan(1)
        expect(results[0]).toEqual(results[1])
      } finally {
        await memory.close()
        await redis.del([key])
      }
    })
  }
})
