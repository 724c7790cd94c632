/**
 * Memory store: consumer groups (XGROUP CREATE/DESTROY/CREATECONSUMER/DELCONSUMER, XREADGROUP,
 * XACK) and XINFO, with Redis 7.0's semantics: delivering an entry creates its NACK (or hands an
 * existing one to the reader with a fresh count), history reads bump the delivery count and
 * report deleted entries with null fields, and every error reply reads as Redis's.
 */
import { RedisKitError } from '../../../errors.js'
import { formatId, ID_MAX, parseId } from '../../stream-ids.js'
import type { StreamCommands, StreamCursor, StreamGroupRead } from '../../stream-types.js'
import type { Sync } from '../sync.js'
import { commandError, commit, readStream, type StreamContext, toEntry } from './entries.js'
import { byName, consumerOf, createGroup, type Group, type Nack } from './groups.js'
import { emptyStream, lookup, range, type StreamValue } from './stream.js'

export type GroupCommands = Pick<
  Sync<StreamCommands>,
  | 'xgroupCreate'
  | 'xgroupDestroy'
  | 'xgroupCreateConsumer'
  | 'xgroupDelConsumer'
  | 'xreadgroup'
  | 'xack'
  | 'xinfoStream'
  | 'xinfoGroups'
  | 'xinfoConsumers'
>

export const noGroup = (message: string) => new RedisKitError('NOGROUP', message)

const KEY_REQUIRED =
  'ERR The XGROUP subcommand requires the key to exist. Note that for CREATE you may want to use the MKSTREAM option to create an empty stream automatically.'

/** The last live entry's id (0 when the stream is empty). */
function lastLiveId(s: StreamValue): bigint {
  return range(s, 0n, ID_MAX, 1, true)[0]?.id ?? 0n
}

export function groupCommands(ctx: StreamContext): GroupCommands {
  const { ks } = ctx
  const read = (key: string) => readStream(ks, key)

  /** XGROUP's checks: the key must exist; CREATECONSUMER/DELCONSUMER need the group. */
  function xgroupTarget(key: string, group: string, needsGroup: boolean) {
    const entry = read(key)
    if (!entry) throw commandError(KEY_REQUIRED)
    const g = entry.value.groups.get(group)
    if (!g && needsGroup) throw noGroup(`NOGROUP No such consumer group '${group}' for key name '${key}'`)
    return { entry, group: g }
  }

  /**
   * Delivers new entries (`>`) of `s` to `consumer`, creating or moving their NACKs. As in
   * Redis, the consumer is only created (or seen) when there is something to deliver.
   */
  function deliverNew(s: StreamValue, g: Group, consumerName: string, count?: number, noack?: boolean) {
    if (s.length === 0 || lastLiveId(s) <= g.lastId) return undefined
    const now = ks.now()
    const consumer = consumerOf(g, consumerName, now)
    const entries = range(s, g.lastId + 1n, ID_MAX, count)
    for (const e of entries) {
      g.lastId = e.id
      if (noack) continue
      const existing = g.pel.get(e.id)
      if (existing) {
        existing.consumer?.pel.delete(e.id)
        existing.consumer = consumer
        existing.deliveryTime = now
        existing.deliveries = 1
        consumer.pel.set(e.id, existing)
        continue
      }
      const nack: Nack = { id: e.id, consumer, deliveryTime: now, deliveries: 1 }
      g.pel.set(e.id, nack)
      consumer.pel.set(e.id, nack)
    }
    return entries.map(toEntry)
  }

  /** The consumer's pending entries after `after` (its history), bumping their delivery counts. */
  function history(s: StreamValue, g: Group, consumerName: string, after: bigint, count?: number) {
    const now = ks.now()
    const consumer = consumerOf(g, consumerName, now)
    const out: StreamGroupRead['entries'] = []
    if (after === ID_MAX) return out
    for (const [id, nack] of consumer.pel.from(after + 1n)) {
      if (count !== undefined && out.length >= count) break
      const e = lookup(s, id)
      if (e) {
        nack.deliveryTime = now
        nack.deliveries++
        out.push(toEntry(e))
      } else out.push({ id: formatId(id), fields: null })
    }
    return out
  }

  return {
    xgroupCreate(key, group, id, o) {
      let entry = read(key)
      if (!entry && !o?.mkstream) throw commandError(KEY_REQUIRED)
      const last = id === '$' ? (entry?.value.lastId ?? 0n) : parseId(id)
      entry ??= ks.write<StreamValue>(key, 'stream', emptyStream)
      if (entry.value.groups.has(group)) return false
      entry.value.groups.set(group, createGroup(group, last))
      commit(ks, key, entry)
      return true
    },
    xgroupDestroy(key, group) {
      const { entry, group: g } = xgroupTarget(key, group, false)
      if (!g) return false
      entry.value.groups.delete(group)
      commit(ks, key, entry)
      ctx.touched(key) // blocked XREADGROUPs of the group fail with NOGROUP
      return true
    },
    xgroupCreateConsumer(key, group, consumer) {
      const { entry, group: g } = xgroupTarget(key, group, true)
      if (g!.consumers.has(consumer)) return false
      consumerOf(g!, consumer, ks.now())
      commit(ks, key, entry)
      return true
    },
    xgroupDelConsumer(key, group, name) {
      const { entry, group: g } = xgroupTarget(key, group, true)
      const consumer = g!.consumers.get(name)
      if (!consumer) return 0
      const pending = consumer.pel.size
      for (const [id] of consumer.pel.from(0n)) g!.pel.delete(id)
      g!.consumers.delete(name)
      commit(ks, key, entry)
      return pending
    },
    xreadgroup(group, consumer, cursors: readonly StreamCursor[], o) {
      const targets = cursors.map(([key, id]) => {
        const entry = read(key)
        const g = entry?.value.groups.get(group)
        if (!entry || !g)
          throw noGroup(
            `NOGROUP No such key '${key}' or consumer group '${group}' in XREADGROUP with GROUP option`,
          )
        return { key, id, entry, g }
      })
      const out: StreamGroupRead[] = []
      for (const { key, id, entry, g } of targets) {
        const entries =
          id === '>'
            ? deliverNew(entry.value, g, consumer, o?.count, o?.noack)
            : history(entry.value, g, consumer, parseId(id), o?.count)
        commit(ks, key, entry)
        if (entries) out.push({ key, entries })
      }
      return out.length > 0 ? out : null
    },
    xack(key, group, ids) {
      const entry = read(key)
      const g = entry?.value.groups.get(group)
      if (!entry || !g) return 0
      let acked = 0
      for (const text of ids) {
        const nack = g.pel.get(parseId(text))
        if (!nack) continue
        g.pel.delete(nack.id)
        nack.consumer?.pel.delete(nack.id)
        acked++
      }
      if (acked > 0) commit(ks, key, entry)
      return acked
    },
    xinfoStream(key) {
      const entry = read(key)
      if (!entry) throw commandError('ERR no such key')
      const s = entry.value
      const first = range(s, 0n, ID_MAX, 1)[0]
      const last = range(s, 0n, ID_MAX, 1, true)[0]
      return {
        length: s.length,
        lastGeneratedId: formatId(s.lastId),
        firstEntry: first ? toEntry(first) : null,
        lastEntry: last ? toEntry(last) : null,
        groups: s.groups.size,
      }
    },
    xinfoGroups(key) {
      const entry = read(key)
      if (!entry) throw commandError('ERR no such key')
      return byName(entry.value.groups.values()).map((g) => ({
        name: g.name,
        consumers: g.consumers.size,
        pending: g.pel.size,
        lastDeliveredId: formatId(g.lastId),
      }))
    },
    xinfoConsumers(key, group) {
      const entry = read(key)
      if (!entry) throw commandError('ERR no such key')
      const g = entry.value.groups.get(group)
      if (!g) throw noGroup(`NOGROUP No such consumer group '${group}' for key name '${key}'`)
      const now = ks.now()
      return byName(g.consumers.values()).map((c) => ({
        name: c.name,
        pending: c.pel.size,
        idleMs: Math.max(0, now - c.seenTime),
      }))
    },
  }
}
