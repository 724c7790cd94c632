/**
 * The memory store's Deque (the value of a list) against an array model: random pushes and pops
 * at both ends that make it grow, wrap around its ring and shrink again, with every index and
 * slice checked; and a long one, where the ends and indexes must stay O(1).
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { Deque } from '../../src/stores/memory/deque.js'

type Op = ['pushFront' | 'pushBack', number] | ['popFront' | 'popBack']

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.tuple(fc.constantFrom('pushFront' as const, 'pushBack' as const), fc.integer()),
  fc.tuple(fc.constantFrom('popFront' as const, 'popBack' as const)),
)

function check(deque: Deque<number>, model: number[]): void {
  expect(deque.length).toBe(model.length)
  expect(deque.slice(0, deque.length)).toEqual(model)
  for (const i of [-1, 0, 1, model.length - 1, model.length, model.length >> 1])
    expect(deque.at(i)).toBe(i < 0 ? undefined : model[i])
}

describe('Deque', () => {
  it('behaves as an array under pushes and pops at both ends', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(op, { maxLength: 60 }), { maxLength: 8 }),
        fc.array(fc.boolean(), { maxLength: 8 }),
        (phases, draining) => {
          const deque = new Deque<number>()
          const model: number[] = []
          for (const [p, ops] of phases.entries()) {
            for (const o of ops) {
              if (o[0] === 'pushFront') {
                deque.pushFront(o[1])
                model.unshift(o[1])
              } else if (o[0] === 'pushBack') {
                deque.pushBack(o[1])
                model.push(o[1])
              } else if (o[0] === 'popFront') expect(deque.popFront()).toBe(model.shift())
              else expect(deque.popBack()).toBe(model.pop())
            }
            check(deque, model)
            if (draining[p]) {
              while (model.length > 0) expect(deque.popFront()).toBe(model.shift())
              check(deque, model)
            }
          }
        },
      ),
      { numRuns: 500, seed: 11 },
    )
  })

  it('slices are clamped to the deque', () => {
    const deque = new Deque<string>()
    for (const v of ['b', 'c', 'd']) deque.pushBack(v)
    deque.pushFront('a')
    expect(deque.slice(-5, 2)).toEqual(['a', 'b'])
    expect(deque.slice(2, 99)).toEqual(['c', 'd'])
    expect(deque.slice(3, 1)).toEqual([])
  })

  it('a million elements: both ends and any index at once', () => {
    const deque = new Deque<number>()
    for (let i = 0; i < 1_000_000; i++) deque.pushBack(i)
    let wrong = 0
    for (let i = 0; i < 100_000; i++) {
      deque.pushFront(-i)
      if (deque.at(deque.length - 1) !== 999_999 - i) wrong++
      deque.popBack()
    }
    expect(wrong).toBe(0)
    expect([deque.at(0), deque.at(500_000), deque.length]).toEqual([-99_999, 400_000, 1_000_000])
    while (deque.length > 1) deque.popFront()
    expect([deque.at(0), deque.popBack(), deque.popBack(), deque.length]).toEqual([
      899_999,
      899_999,
      undefined,
      0,
    ])
  })
})
