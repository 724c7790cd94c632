/**
 * Sorted-set commands for the parity sequences: ZADD with every flag combination (and a bulk
 * ZADD around the 128-entry listpack limit), ZINCRBY, reads, rank and score ranges that usually
 * select something, ZREM*, and ZUNIONSTORE with weights (±inf, 0) and every aggregate.
 */
import fc from 'fast-check'
import type { ScoreBound, ZAddOptions, ZRangeOptions } from '../../../src/stores/types.js'
import type { Draw, SymbolicCommand } from './commands.js'
import { boundValue, few, maybe, mostly, pick, rank, zIncrement } from './values.js'

const limit = fc.record({
  offset: mostly(fc.integer({ min: 0, max: 2 }), fc.integer({ min: -2, max: 5 })),
  count: fc.integer({ min: -2, max: 4 }),
})

const zrangeOptions: fc.Arbitrary<ZRangeOptions | undefined> = maybe(
  fc.oneof(
    { arbitrary: fc.record({ by: maybe(pick(['rank'] as const)), rev: maybe(fc.boolean()) }), weight: 4 },
    {
      arbitrary: fc.record({
        by: fc.constant('score' as const),
        rev: maybe(fc.boolean()),
        limit: maybe(limit),
      }),
      weight: 4,
    },
    { arbitrary: fc.record({ rev: maybe(fc.boolean()), limit }), weight: 1 }, // INVALID_ARGUMENT
  ),
)

const zaddOptions = maybe(
  mostly<ZAddOptions>(
    fc
      .tuple(pick(['nx', 'xx', '']), pick(['gt', 'lt', '']), fc.boolean())
      .filter(([condition, compare]) => !(condition === 'nx' && compare))
      .map(([condition, compare, ch]) => ({
        ...(condition ? { [condition]: true } : {}),
        ...(compare ? { [compare]: true } : {}),
        ...(ch ? { ch } : {}),
      })),
    // any combination, invalid ones included (INVALID_ARGUMENT on every store)
    fc.record(
      { nx: fc.boolean(), xx: fc.boolean(), gt: fc.boolean(), lt: fc.boolean(), ch: fc.boolean() },
      { requiredKeys: [] },
    ),
  ),
)

/** Two ranks: any two, or a range that usually selects something (from the start or the end). */
const ranks = fc.oneof(
  fc.tuple(rank, rank),
  fc.tuple(fc.integer({ min: 0, max: 3 }), pick([-1, -2, 2, 4, 10])),
  fc.tuple(fc.integer({ min: -4, max: -1 }), pick([-1, -2])),
)

export function sortedSetCommands(d: Draw): fc.Arbitrary<SymbolicCommand>[] {
  const { key, tagged, taggedKeys, member, score, scoreBound, cmd } = d
  /** Two score bounds: any two, or (min, max) in order (REV takes them as (max, min)). */
  const bounds = (rev?: boolean) =>
    fc.oneof(
      fc.tuple(scoreBound, scoreBound),
      fc.tuple(scoreBound, scoreBound).map(([x, y]) => {
        const ordered = boundValue(x) <= boundValue(y) ? [x, y] : [y, x]
        return (rev ? ordered.reverse() : ordered) as [ScoreBound, ScoreBound]
      }),
    )
  const zrange = (name: string): fc.Arbitrary<SymbolicCommand> =>
    zrangeOptions.chain(
      (o): fc.Arbitrary<SymbolicCommand> =>
        fc
          .tuple(key, o?.by === 'score' ? bounds(o.rev) : ranks)
          .map(([k, [start, stop]]) => [name, k, start, stop, o]),
    )
  const zadd = cmd('zadd', key, few(fc.record({ member, score }), 1, 6), zaddOptions)
  const union = taggedKeys.chain((sources) =>
    fc.tuple(
      fc.constant('zunionstore'),
      tagged,
      fc.constant(sources),
      maybe(
        fc.record(
          {
            weights: maybe(
              fc.array(pick([1, 0, -1, 2, 0.5, 1.5, Infinity, -Infinity]), {
                minLength: sources.length,
                maxLength: sources.length,
              }),
            ),
            aggregate: maybe(pick(['SUM', 'MIN', 'MAX'] as const)),
          },
          { requiredKeys: [] },
        ),
      ),
    ),
  ) as fc.Arbitrary<SymbolicCommand>
  return [
    zadd,
    zadd,
    zadd,
    cmd('zincrby', key, zIncrement, member),
    cmd('zincrby', key, zIncrement, member),
    // around zset-max-listpack-entries (128): the set may turn into a skiplist
    cmd(
      'zadd',
      key,
      fc
        .tuple(fc.integer({ min: 120, max: 132 }), score)
        .map(([n, s]) =>
          Array.from({ length: n }, (_, i) => ({ member: `m${i}`, score: i % 4 === 0 ? s : i })),
        ),
    ),
    cmd('zscore', key, member),
    cmd('zrank', key, member, maybe(fc.record({ rev: fc.boolean() }))),
    zrange('zrange'),
    zrange('zrange'),
    zrange('zrange'),
    zrange('zrangeWithScores'),
    zrange('zrangeWithScores'),
    zrange('zrangeWithScores'),
    cmd('zrem', key, few(member, 1, 3)),
    cmd('zcard', key),
    fc.tuple(key, ranks).map(([k, [start, stop]]): SymbolicCommand => ['zremrangebyrank', k, start, stop]),
    fc.tuple(key, bounds()).map(([k, [min, max]]): SymbolicCommand => ['zremrangebyscore', k, min, max]),
    union,
  ]
}
