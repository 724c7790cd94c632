/**
 * Every script of the cache: its Lua on Redis and its JavaScript twin on memory give the same
 * replies (or error codes) and leave the same state, over random states of their key (any type)
 * and states where the key holds the token the script looks for.
 */
import fc from 'fast-check'
import { describe, it } from 'vitest'
import {
  deleteAndNotify,
  ensureTag,
  invalidateTag,
  releaseLease,
  renewLease,
  takeLease,
} from '../../src/cache/scripts.js'
import type { Script } from '../../src/stores/types.js'
import { expectScriptParity, randomState, type SymbolicCommand, symbol } from '../support/script-parity.js'

const tokens = fc.constantFrom('tok-1', 'tok-2', '', 'é😀')
// long enough not to expire while the harness reads the final state; below and above the setup's TTLs (GT)
const px = fc.constantFrom(30_000, 120_000, 7_200_000)
const channel = fc.constantFrom('test:cache-scripts:bus')
const message = fc.constantFrom('["id","k",["a"]]', 'x', '')

/** Random states of the script's keys, or its first key holding a token (with or without a TTL). */
function states(script: Script): fc.Arbitrary<SymbolicCommand[]> {
  const key = symbol(script.keys[0]!)
  const others: SymbolicCommand[] = script.keys.slice(1).map((name) => ['set', symbol(name), 'a value'])
  return fc.oneof(
    randomState(script),
    fc.constant<SymbolicCommand[]>([]),
    fc
      .tuple(tokens, fc.option(fc.constantFrom(60_000, 3_600_000), { nil: undefined }), fc.boolean())
      .map(([token, ttl, more]): SymbolicCommand[] => [
        ['set', key, token, ttl ? { px: ttl } : undefined],
        ...(more ? others : []),
      ]),
  )
}

describe('cache scripts: Lua on Redis = twin on memory', () => {
  it('ensure-tag: creates the version or extends its life (PEXPIRE GT)', () =>
    expectScriptParity(ensureTag, fc.tuple(tokens, px), { setup: states(ensureTag) }))

  it('take-lease: SET NX PX, and whether the value exists', () =>
    expectScriptParity(takeLease, fc.tuple(tokens, px), { setup: states(takeLease) }))

  it('release-lease: deletes only with the matching token', () =>
    expectScriptParity(releaseLease, fc.tuple(tokens), { setup: states(releaseLease) }))

  it('renew-lease: extends only with the matching token', () =>
    expectScriptParity(renewLease, fc.tuple(tokens, px), { setup: states(renewLease) }))

  it('delete-notify: deletes and publishes', () =>
    expectScriptParity(deleteAndNotify, fc.tuple(channel, message), { setup: states(deleteAndNotify) }))

  it('invalidate-tag: sets the new version and publishes', () =>
    expectScriptParity(invalidateTag, fc.tuple(tokens, px, channel, message), {
      setup: states(invalidateTag),
    }))
})
