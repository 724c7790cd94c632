/**
 * The memory store's XREAD and XREADGROUP with BLOCK: read once; when nothing is there, wait on
 * the keys (see blocking.ts) and read again, on the key that became ready only. `$` is resolved
 * when the call is made, as Redis does. A blocked XREADGROUP fails when its stream is removed
 * or its group destroyed meanwhile, with Redis's errors; a blocked XREAD just keeps waiting.
 */
import type {
  StreamCursor,
  StreamGroupRead,
  StreamRead,
  XReadGroupOptions,
  XReadOptions,
} from '../../stream-types.js'
import type { Keyspace } from '../keyspace.js'
import type { StreamWaiters } from './blocking.js'
import { commandError, type EntryCommands, resolveCursors } from './entries.js'
import { type GroupCommands, noGroup } from './group-commands.js'
import type { StreamValue } from './stream.js'

const only = (cursors: readonly StreamCursor[], key: string) => cursors.filter(([k]) => k === key)

export function blockingReads(ks: Keyspace, impl: EntryCommands & GroupCommands, waiters: StreamWaiters) {
  return {
    xread(cursors: readonly StreamCursor[], o: XReadOptions): Promise<StreamRead[] | null> {
      const resolved = resolveCursors(ks, cursors)
      const now = impl.xread(resolved, o)
      if (now !== null) return Promise.resolve(now)
      const keys = resolved.map(([key]) => key)
      return waiters.wait(keys, (key) => impl.xread(only(resolved, key), o), o.block!, o.signal)
    },
    xreadgroup(
      group: string,
      consumer: string,
      cursors: readonly StreamCursor[],
      o: XReadGroupOptions,
    ): Promise<StreamGroupRead[] | null> {
      const now = impl.xreadgroup(group, consumer, cursors, o)
      if (now !== null) return Promise.resolve(now)
      const attempt = (key: string) => {
        const entry = ks.peek(key)
        if (entry?.type !== 'stream') throw commandError('UNBLOCKED the stream key no longer exists')
        if (!(entry.value as StreamValue).groups.has(group))
          throw noGroup('NOGROUP the consumer group this client was blocked on no longer exists')
        return impl.xreadgroup(group, consumer, only(cursors, key), o)
      }
      return waiters.wait(
        cursors.map(([key]) => key),
        attempt,
        o.block!,
        o.signal,
      )
    },
  }
}
