/**
 * Random command sequences for the parity property tests. A sequence has one favourite family
 * (a data type) and one alphabet of members and scores: it starts by creating keys of that type,
 * then mixes mostly commands of the family with any command of the contract and batches, so
 * that commands meet the state earlier ones left (and wrong types, and edge-case contents).
 */
import fc from 'fast-check'
import { commandsOver, FAMILIES, type Family, type KeyPool, type SymbolicCommand } from './commands.js'
import { type Alphabet, alphabetArbitrary, few } from './values.js'

export { CHANNEL, type Family, type KeyPool, type SymbolicCommand } from './commands.js'
export { type Alphabet, anyMember, anyScore, value } from './values.js'

/** Bit commands are kept out of batches (the runner skips them on HyperLogLogs). */
const BATCHABLE = [
  'strings',
  'keyspace',
  'hashes',
  'sets',
  'lists',
  'sortedSets',
  'hll',
  'streams',
  'streamGroups',
] as const

/**
 * One command over `pool`: from `favourite` four times out of five (on keys concentrated on the
 * first of the pool), or any command of the contract, or now and then a batch.
 */
export function commandArbitrary(
  pool: KeyPool,
  alphabet: Alphabet,
  favourite?: Family,
): fc.Arbitrary<SymbolicCommand> {
  const { families } = commandsOver(pool, alphabet)
  const any = fc.oneof(...Object.values(families).flat())
  const batch = few(fc.oneof(...BATCHABLE.flatMap((f) => families[f])), 1, 4).map(
    (commands): SymbolicCommand => ['batch', commands],
  )
  const options: fc.WeightedArbitrary<SymbolicCommand>[] = [
    { arbitrary: any, weight: 8 },
    { arbitrary: batch, weight: 1 },
  ]
  if (favourite) {
    const hot = commandsOver(pool, alphabet, true).families[favourite]
    options.push({ arbitrary: fc.oneof(...hot), weight: 36 })
  }
  return fc.oneof(...options)
}

const TTL_COMMANDS: Record<string, number> = { expire: 1, pexpire: 1000 }

/**
 * Makes every TTL of a sequence distinct: + 10 s per position. TTL bases are whole thousands of
 * seconds (see ttlSeconds), so GT/LT never compare two deadlines closer than 10 s, far more than
 * a sequence takes: no outcome depends on timing.
 */
export function spreadTtls(commands: readonly SymbolicCommand[]): SymbolicCommand[] {
  return commands.map((command, i) => spreadTtl(command, i * 10))
}

function spreadTtl(command: SymbolicCommand, seconds: number): SymbolicCommand {
  const [name, ...args] = command
  const unit = TTL_COMMANDS[name]
  if (unit !== undefined) return [name, args[0], (args[1] as number) + seconds * unit, ...args.slice(2)]
  if (name === 'set' && args[2]) {
    const o = { ...(args[2] as { ex?: number; px?: number }) }
    if (o.ex !== undefined) o.ex += seconds
    if (o.px !== undefined) o.px += seconds * 1000
    return [name, args[0], args[1], o]
  }
  if (name === 'batch') {
    // a batch has at most 4 commands: 1 s apart, within its 10 s
    return [name, (args[0] as SymbolicCommand[]).map((c, j) => spreadTtl(c, seconds + j))]
  }
  return command
}

/**
 * A sequence of `min`..`max` commands over `pool` (min ≥ 1, max ≥ min + 2): one to three
 * commands creating keys of the favourite family's type, then the rest.
 */
export function sequenceArbitrary(pool: KeyPool, min: number, max: number): fc.Arbitrary<SymbolicCommand[]> {
  const favourites = FAMILIES.filter((f) => f !== 'other')
  return fc
    .tuple(fc.constantFrom<Family | undefined>(...favourites, undefined), alphabetArbitrary)
    .chain(([favourite, alphabet]) =>
      fc.tuple(
        few(commandsOver(pool, alphabet, true).creator(favourite), 1, 3),
        few(commandArbitrary(pool, alphabet, favourite), min - 1, max - 3),
      ),
    )
    .map(([creators, commands]) => spreadTtls([...creators, ...commands]))
}
