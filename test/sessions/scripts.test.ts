/**
 * Every script of the sessions primitive: its JavaScript twin (what the memory store runs) does
 * what its Lua does on Redis, on random states of its keys and at the deadlines it decides on
 * (the scripts take a fixed clock from their last ARGV here; the library always sends '').
 */
import fc from 'fast-check'
import { afterAll, beforeAll, describe, it } from 'vitest'
import { clearScript, revokeScript } from '../../src/sessions/bulk-scripts.js'
import { destroyScript, rotateScript } from '../../src/sessions/move-scripts.js'
import { nowScript, pruneScript, readScript, touchScript } from '../../src/sessions/read-scripts.js'
import { createPlainScript, createScript, writeScript } from '../../src/sessions/write-scripts.js'
import { createRedisStore, type RedisStore } from '../../src/stores/index.js'
import { redisUrl } from '../support/env.js'
import { expectScriptParity } from '../support/script-parity.js'
import {
  hash,
  IDLE,
  keptAfterRevocation,
  N,
  now,
  payload,
  recordState,
  revokedState,
  states,
  userHash,
  version,
  zsetState,
} from './states.js'

const hashes = ['H1', 'H2', 'H3']
/** The user a rotate call names: mostly the records' usual owner (else the script answers -2). */
const ownerHash = fc.oneof({ arbitrary: fc.constant('U1'), weight: 3 }, fc.constantFrom('', 'U2'))
const allState = zsetState('all', hashes)
const userState = zsetState('user', hashes)
/** Record scripts decide on many combinations: more runs than the default. */
const numRuns = Number(process.env.SCRIPT_PARITY_RUNS ?? 250)

describe('sessions scripts: Lua on Redis = JavaScript twin on memory', () => {
  let redis: RedisStore
  beforeAll(() => {
    redis = createRedisStore(redisUrl())
  })
  afterAll(() => redis.close())

  it('create: a fresh record, its indexes, a moved record past its deadline', async () => {
    const moved = fc.constantFrom<[string, string]>(
      ['', ''],
      [String(N - 1_000), String(N - 1)],
      [String(N - 1_000), String(N)],
      [String(N - 1_000), String(N + 20_000)],
    )
    const args = fc
      .tuple(
        hash,
        payload,
        fc.constantFrom(String(IDLE), '2000000'),
        userHash,
        fc.constantFrom('30000', '100000'),
        moved,
        now,
      )
      .map(([h, p, idle, uh, abs, [c, a], at]) => [h, p, idle, uh, abs, c, a, at])
    const setup = states(recordState('record'), allState, userState, revokedState)
    await expectScriptParity(createScript, args, { setup, redis, numRuns })
  })

  it('create-plain: a fresh record without a user, and its group index', async () => {
    const args = fc.tuple(
      hash,
      payload,
      fc.constantFrom(String(IDLE), '2000000'),
      fc.constantFrom('30000', '100000'),
      now,
    )
    await expectScriptParity(createPlainScript, args, {
      setup: states(recordState('record'), allState),
      redis,
      numRuns,
    })
  })

  it('write: versions, idle override, dead and malformed records', async () => {
    const args = fc.tuple(hash, payload, version, fc.constantFrom('', String(IDLE), String(2 * IDLE)), now)
    const setup = states(recordState('record'), allState, revokedState)
    await expectScriptParity(writeScript, args, { setup, redis, numRuns })
  })

  it('read: the record, revocation markers, malformed records', async () => {
    const setup = states(recordState('record'), allState, revokedState)
    await expectScriptParity(readScript, fc.tuple(hash), { setup, redis, numRuns })
  })

  it('touch: the throttle at its boundary, the deadlines, revocation markers', async () => {
    const args = fc.tuple(hash, fc.constantFrom('0', '0.1', '0.5', '1'), now)
    const setup = states(recordState('record'), allState, revokedState)
    await expectScriptParity(touchScript, args, { setup, redis, numRuns })
  })

  it('rotate: same group, users, versions, a replaced payload', async () => {
    const args = fc
      .tuple(fc.constant('H1'), fc.constant('H2'), version, fc.constantFrom('', '{"b":2}'), ownerHash, now)
      .map((a) => [...a])
    const setup = fc.oneof(
      {
        arbitrary: states(recordState('old'), recordState('new'), allState, userState, revokedState),
        weight: 4,
      },
      states(keptAfterRevocation('old'), allState, userState),
    )
    await expectScriptParity(rotateScript, args, { setup, redis, numRuns })
  })

  it('destroy: plain and taking the record, with a version', async () => {
    const args = fc.tuple(hash, version, fc.constantFrom('', '1'), now)
    const setup = states(recordState('record'), allState, revokedState)
    await expectScriptParity(destroyScript, args, { setup, redis, numRuns })
  })

  it('revoke: a marker, an exempted session, pruned markers', async () => {
    const args = fc.tuple(
      fc.constantFrom('U1', 'U2'),
      fc.constantFrom('', 'H1', 'H9'),
      fc.constantFrom('30000', '100000'),
      now,
    )
    await expectScriptParity(revokeScript, args, { setup: states(userState, allState, revokedState), redis })
  })

  it('prune: drops entries at or past their deadline', async () => {
    await expectScriptParity(pruneScript, fc.tuple(now), { setup: allState, redis })
  })

  it('now: the clock (only the shape of the reply is compared)', async () => {
    const normalizeReply = (reply: unknown) =>
      typeof reply === 'number' && reply > 1.7e12 && Number.isInteger(reply)
    await expectScriptParity(nowScript, fc.constant([]), { setup: 'none', redis, normalizeReply, numRuns: 5 })
  })

  it('clear: returns the members and deletes the index', async () => {
    await expectScriptParity(clearScript, fc.constant([]), { setup: states(allState, revokedState), redis })
  })
})
