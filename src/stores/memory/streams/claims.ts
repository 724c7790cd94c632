/**
 * Memory store: the pending entries list from outside (XPENDING, summary and extended) and
 * taking entries over (XCLAIM, XAUTOCLAIM), with Redis 7.0's rules: the idle time is measured
 * from the last delivery, a claim resets it and counts a delivery, entries deleted from the
 * stream leave the PEL when a claim meets them, and XAUTOCLAIM scans at most COUNT × 10 NACKs
 * and returns the cursor where the next call continues.
 */
import { formatId, parseBound, parseId } from '../../stream-ids.js'
import type { PendingEntry, StreamCommands, StreamEntry } from '../../stream-types.js'
import type { Sync } from '../sync.js'
import { commandError, commit, readStream, type StreamContext, toEntry } from './entries.js'
import { noGroup } from './group-commands.js'
import { assignNack, byName, type Consumer, consumerOf, dropNack, IdMap, type Nack } from './groups.js'
import { lookup } from './stream.js'

export type ClaimCommands = Pick<Sync<StreamCommands>, 'xpending' | 'xpendingRange' | 'xclaim' | 'xautoclaim'>

/** XAUTOCLAIM looks at COUNT × 10 entries at most per call. */
const ATTEMPTS_FACTOR = 10

export function claimCommands(ctx: StreamContext): ClaimCommands {
  const { ks } = ctx

  function target(key: string, group: string) {
    const entry = readStream(ks, key)
    const g = entry?.value.groups.get(group)
    if (!entry || !g) throw noGroup(`NOGROUP No such key '${key}' or consumer group '${group}'`)
    return { entry, g }
  }

  function startOf(start: string): bigint {
    const from = parseBound(start, false)
    if (from === null) throw commandError('ERR invalid start ID for the interval')
    return from
  }

  return {
    xpending(key, group) {
      const { g } = target(key, group)
      if (g.pel.size === 0) return { count: 0, minId: null, maxId: null, consumers: [] }
      return {
        count: g.pel.size,
        minId: formatId(g.pel.first()!),
        maxId: formatId(g.pel.last()!),
        consumers: byName(g.consumers.values())
          .filter((c) => c.pel.size > 0)
          .map((c) => ({ name: c.name, pending: c.pel.size })),
      }
    },
    xpendingRange(key, group, start, end, count, o) {
      const from = startOf(start)
      const to = parseBound(end, true)
      if (to === null) throw commandError('ERR invalid end ID for the interval')
      const { g } = target(key, group)
      const pel = o?.consumer === undefined ? g.pel : (g.consumers.get(o.consumer)?.pel ?? new IdMap<Nack>())
      const now = ks.now()
      const out: PendingEntry[] = []
      for (const [id, nack] of pel.from(from)) {
        if (id > to || out.length >= count) break
        const idle = now - nack.deliveryTime
        if (o?.minIdleMs && idle < o.minIdleMs) continue
        out.push({
          id: formatId(id),
          consumer: nack.consumer!.name,
          idleMs: idle,
          deliveries: nack.deliveries,
        })
      }
      return out
    },
    xclaim(key, group, name, minIdle, ids, o = {}) {
      const { entry, g } = target(key, group)
      const s = entry.value
      const now = ks.now()
      let deliveryTime = now
      if (o.idleMs !== undefined) deliveryTime = now - o.idleMs
      if (o.timeMs !== undefined) deliveryTime = o.timeMs
      if (deliveryTime < 0 || deliveryTime > now) deliveryTime = now
      let consumer: Consumer | undefined
      const out: StreamEntry[] = []
      for (const text of ids) {
        const id = parseId(text)
        let nack = g.pel.get(id)
        const e = lookup(s, id)
        if (!e) {
          if (nack) dropNack(g, nack)
          continue
        }
        if (o.force && !nack) {
          nack = { id, consumer: null, deliveryTime: now, deliveries: 1 }
          g.pel.set(id, nack)
        }
        if (!nack) continue
        if (nack.consumer && minIdle > 0 && now - nack.deliveryTime < minIdle) continue
        consumer ??= consumerOf(g, name, now)
        assignNack(nack, consumer)
        nack.deliveryTime = deliveryTime
        nack.deliveries = o.retryCount ?? nack.deliveries + 1
        out.push(toEntry(e))
      }
      commit(ks, key, entry)
      return out
    },
    xautoclaim(key, group, name, minIdle, start, o) {
      const from = startOf(start)
      const { entry, g } = target(key, group)
      const s = entry.value
      const now = ks.now()
      let count = o?.count ?? 100
      let attempts = count * ATTEMPTS_FACTOR
      let consumer: Consumer | undefined
      const entries: StreamEntry[] = []
      const deleted: string[] = []
      const it = g.pel.from(from)
      let eof = false
      // while (attempts-- && count && raxNext(&ri)), as in t_stream.c
      while (attempts-- > 0 && count > 0) {
        const next = it.next()
        if (next.done) {
          eof = true
          break
        }
        const [id, nack] = next.value
        const e = lookup(s, id)
        if (!e) {
          dropNack(g, nack)
          deleted.push(formatId(id))
          count--
          continue
        }
        if (minIdle > 0 && now - nack.deliveryTime < minIdle) continue
        consumer ??= consumerOf(g, name, now)
        assignNack(nack, consumer)
        nack.deliveryTime = now
        nack.deliveries++
        entries.push(toEntry(e))
        count--
      }
      const after = eof ? undefined : it.next()
      commit(ks, key, entry)
      return { next: after && !after.done ? formatId(after.value[0]) : '0-0', entries, deleted }
    },
  }
}
