/**
 * Stream commands for the parity sequences: XADD with every id form (and `*`, made
 * deterministic by ids far in the future) and trim, ranges with exclusive and incomplete bounds,
 * XTRIM exact and `~` after bulk appends that fill nodes by entry count and by bytes, XDEL,
 * XREAD, and consumer groups with claims whose idle thresholds never depend on timing (idle
 * times are 0 or over an hour: `idleMs`/`timeMs` set them far apart, the runner hides their
 * values).
 */
import fc from 'fast-check'
import type { StreamTrim } from '../../../src/stores/stream-types.js'
import type { StoreValue } from '../../../src/stores/types.js'
import type { Draw, SymbolicCommand } from './commands.js'
import { few, maybe, mostly, pick, value } from './values.js'

/** Far in the future (year 2286): `*` after such an id is the next sequence, on every store. */
export const FUTURE = '9999999999999'
const U64 = '18446744073709551615'

const plainId = pick(['1-0', '1-1', '2-0', '2-5', '3-0', '5', '5-1', '10-0', `${FUTURE}-0`, `${FUTURE}-3`])
const addId = fc.oneof(
  { arbitrary: plainId, weight: 6 },
  { arbitrary: pick(['1-*', '2-*', '5-*', `${FUTURE}-*`, `${U64}-${U64}`, `${U64}-*`, '0-0']), weight: 3 },
  { arbitrary: fc.constant('*'), weight: 1 },
)
const bound = (end: boolean) =>
  fc.oneof(
    pick(end ? ['+', '-'] : ['-', '+']),
    plainId,
    plainId.map((id) => `(${id}`),
    pick(['(0-0', `(${U64}-${U64}`, '2', '(2']),
  )
const count = maybe(fc.integer({ min: 1, max: 4 }))
const idle = mostly(fc.constant(0), fc.constant(3_600_000))
const group = mostly(fc.constant('g1'), fc.constant('g2'))
/** Ids of a grouped stream's entries (1-0 … 6-0), and one past them. */
const entryId = pick(['1-0', '2-0', '3-0', '4-0', '5-0', '7-0'])
const consumer = pick(['c1', 'c2', 'c3'])

const trim: fc.Arbitrary<StreamTrim> = fc
  .tuple(
    fc.oneof(
      fc.integer({ min: 0, max: 6 }).map((maxlen): StreamTrim => ({ maxlen })),
      fc.integer({ min: 0, max: 300 }).map((maxlen): StreamTrim => ({ maxlen })),
      plainId.map((minid): StreamTrim => ({ minid })),
      fc.integer({ min: 1, max: 300 }).map((n): StreamTrim => ({ minid: `${n}` })),
    ),
    fc.boolean(),
    maybe(pick([0, 1, 50, 100, 150, 250])),
  )
  .map(([t, approximate, limit]) => ({
    ...t,
    ...(approximate ? { approximate, ...(limit !== undefined ? { limit } : {}) } : {}),
  }))

const fieldsOf = (member: fc.Arbitrary<string>) =>
  fc
    .uniqueArray(fc.tuple(member, value), { minLength: 1, maxLength: 3, selector: ([f]) => f })
    .map((entries) => Object.fromEntries(entries) as Record<string, StoreValue>)

const xaddOptions = maybe(
  fc.record({ id: addId, nomkstream: maybe(fc.boolean()), trim: maybe(trim) }, { requiredKeys: ['id'] }),
)

/** Entries: XADD, bulk appends, ranges, XLEN, XTRIM, XDEL, XREAD, XINFO STREAM. */
export function streamCommands(d: Draw, member: fc.Arbitrary<string>): fc.Arbitrary<SymbolicCommand>[] {
  const { key, tagged, cmd } = d
  const xadd = cmd('xadd', key, fieldsOf(member), xaddOptions)
  const readIds = fc.oneof(plainId, pick(['0', '$']))
  return [
    xadd,
    xadd,
    xadd,
    xadd,
    bulk(key),
    bulk(key),
    cmd('xrange', key, bound(false), bound(true), maybe(fc.record({ count }, { requiredKeys: [] }))),
    cmd('xrevrange', key, bound(true), bound(false), maybe(fc.record({ count }, { requiredKeys: [] }))),
    cmd('xlen', key),
    cmd('xtrim', key, trim),
    cmd('xtrim', key, trim),
    cmd('xdel', key, few(plainId, 1, 3)),
    cmd('xread', few(fc.tuple(key, readIds), 1, 1), maybe(fc.record({ count }, { requiredKeys: [] }))),
    cmd('xread', few(fc.tuple(tagged, readIds), 2, 3), maybe(fc.record({ count }, { requiredKeys: [] }))),
    cmd('xinfoStream', key),
  ]
}

/** A stream with entries 1-0 … and group g1 that c1 has read from: consumer groups have state. */
export function groupedStream(d: Draw): fc.Arbitrary<SymbolicCommand> {
  return fc
    .tuple(d.key, fc.integer({ min: 2, max: 6 }), fc.integer({ min: 0, max: 4 }))
    .map(
      ([k, n, read]): SymbolicCommand => [
        'batch',
        [
          ...Array.from(
            { length: n },
            (_, i): SymbolicCommand => ['xadd', k, { n: String(i) }, { id: `${i + 1}-0` }],
          ),
          ['xgroupCreate', k, 'g1', '0'],
          ...(read > 0 ? [['xreadgroup', 'g1', 'c1', [[k, '>']], { count: read }] as SymbolicCommand] : []),
        ],
      ],
    )
}

/** Consumer groups: XGROUP, XREADGROUP, XACK, XPENDING, XCLAIM, XAUTOCLAIM, XINFO. */
export function streamGroupCommands(d: Draw, member: fc.Arbitrary<string>): fc.Arbitrary<SymbolicCommand>[] {
  const { key, cmd } = d
  const ids = few(fc.oneof(entryId, plainId), 1, 3)
  const cursor = (forms: fc.Arbitrary<string>) => fc.tuple(key, forms)
  return [
    cmd('xadd', key, fieldsOf(member), xaddOptions),
    cmd('xdel', key, ids),
    cmd(
      'xgroupCreate',
      key,
      group,
      fc.oneof(pick(['$', '0']), plainId),
      maybe(fc.record({ mkstream: fc.boolean() })),
    ),
    cmd('xgroupCreate', key, group, pick(['$', '0']), fc.constant({ mkstream: true })),
    cmd('xgroupDestroy', key, group),
    cmd('xgroupCreateConsumer', key, group, consumer),
    cmd('xgroupDelConsumer', key, group, consumer),
    cmd(
      'xreadgroup',
      group,
      consumer,
      few(cursor(mostly(fc.constant('>'), fc.oneof(plainId, fc.constant('0')))), 1, 1),
      maybe(fc.record({ count, noack: maybe(fc.boolean()) }, { requiredKeys: [] })),
    ),
    cmd('xreadgroup', group, consumer, few(cursor(fc.constant('>')), 1, 1), fc.constant(undefined)),
    cmd('xack', key, group, ids),
    cmd('xpending', key, group),
    cmd(
      'xpendingRange',
      key,
      group,
      bound(false),
      bound(true),
      fc.integer({ min: 1, max: 5 }),
      maybe(fc.record({ consumer, minIdleMs: idle }, { requiredKeys: [] })),
    ),
    cmd(
      'xclaim',
      key,
      group,
      consumer,
      idle,
      ids,
      maybe(
        fc.record(
          {
            idleMs: pick([0, 10_000_000]),
            timeMs: pick([0, 1e15]),
            retryCount: fc.integer({ min: 0, max: 3 }),
            force: fc.boolean(),
          },
          { requiredKeys: [] },
        ),
      ),
    ),
    cmd(
      'xautoclaim',
      key,
      group,
      consumer,
      idle,
      fc.oneof(bound(false), fc.constant('0')),
      maybe(fc.record({ count: fc.integer({ min: 1, max: 3 }) })),
    ),
    cmd('xinfoStream', key),
    cmd('xinfoGroups', key),
    cmd('xinfoConsumers', key, group),
  ]
}

/**
 * Many appends in one batch, with explicit ids: nodes fill up by entry count (100) or, with the
 * longer values, by listpack bytes (4096), so that `~` trims meet node boundaries.
 */
function bulk(key: fc.Arbitrary<string>): fc.Arbitrary<SymbolicCommand> {
  return fc
    .tuple(key, fc.integer({ min: 80, max: 260 }), pick([0, 25, 35, 60]), fc.integer({ min: 1, max: 3 }))
    .map(
      ([k, n, width, start]): SymbolicCommand => [
        'batch',
        Array.from(
          { length: n },
          (_, i): SymbolicCommand => [
            'xadd',
            k,
            // mostly the fields of the node's first entry (compressed), now and then others
            i % 11 === 5 ? { other: 'x'.repeat(width) } : { n: String(i), v: 'x'.repeat(width + (i % 5)) },
            { id: `${start + i}-0` },
          ],
        ),
      ],
    )
}
