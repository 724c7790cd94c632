/** The outage journal on its own: order, reservations, folding of increments, the bound. */
import { describe, expect, it } from 'vitest'
import { Journal, type JournalEntry } from '../../src/stores/failover/journal.js'
import type { CommandName } from '../../src/stores/types.js'

const command = (name: CommandName, ...args: unknown[]): JournalEntry => ({
  kind: 'command',
  name,
  args,
  opId: Math.random().toString(36),
  inDoubt: false,
  at: 0,
})
const names = (j: Journal) => j.head(1000).map(([, e]) => (e.kind === 'command' ? [e.name, ...e.args] : []))

describe('Journal', () => {
  it('keeps call order: a reserved place is filled in place, after what came before it', () => {
    const j = new Journal(100, () => {})
    j.add(command('set', 'a', '1'))
    const seq = j.reserve()
    j.add(command('set', 'b', '2'))
    expect(names(j)).toEqual([['set', 'a', '1']]) // stops at the reservation
    expect(j.hasReserved()).toBe(true)
    j.add(command('del', ['b']), seq)
    expect(names(j)).toEqual([
      ['set', 'a', '1'],
      ['del', ['b']],
      ['set', 'b', '2'],
    ])
    const released = j.reserve()
    j.release(released)
    expect(j.hasReserved()).toBe(false)
  })

  it('folds increments of one key while nothing else touched it', () => {
    const j = new Journal(100, () => {})
    for (let i = 0; i < 1000; i++) j.add(command('incrby', 'hits', 1))
    j.add(command('hincrby', 'h', 'f', 2))
    j.add(command('hincrby', 'h', 'f', 3))
    j.add(command('hincrby', 'h', 'g', 1)) // another field: its own entry
    j.add(command('zincrby', 'z', 1, 'm'))
    j.add(command('zincrby', 'z', 0.5, 'm')) // not a whole number: not folded
    expect(j.size).toBe(5)
    expect(names(j)).toEqual([
      ['incrby', 'hits', 1000],
      ['hincrby', 'h', 'f', 5],
      ['hincrby', 'h', 'g', 1],
      ['zincrby', 'z', 1, 'm'],
      ['zincrby', 'z', 0.5, 'm'],
    ])
  })

  it('never folds across another write to the same key, into a sent entry, or an entry in doubt', () => {
    const j = new Journal(100, () => {})
    j.add(command('incrby', 'n', 1))
    j.add(command('set', 'n', '10'))
    j.add(command('incrby', 'n', 1))
    expect(j.size).toBe(3)
    j.head(10) // sealed: taken for replay
    j.add(command('incrby', 'n', 1))
    expect(j.size).toBe(4)
    j.add({ ...command('incrby', 'm', 1), inDoubt: true })
    j.add(command('incrby', 'm', 1))
    expect(j.size).toBe(6)
  })

  it('drops the oldest entries beyond its bound, counting and reporting them', () => {
    const drops: number[] = []
    const j = new Journal(3, (count) => drops.push(count))
    for (const key of ['a', 'b', 'c', 'd', 'e']) j.add(command('set', key, 'x'))
    expect(j.size).toBe(3)
    expect(j.dropped).toBe(2)
    expect(drops).toEqual([1, 1])
    expect(names(j).map((c) => c[1])).toEqual(['c', 'd', 'e'])
    j.remove(j.head(2).map(([seq]) => seq))
    expect(j.size).toBe(1)
    expect(j.replayed).toBe(2)
  })
})
