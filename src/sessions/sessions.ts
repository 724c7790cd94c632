/**
 * createSessions: server-side sessions on any Store. One round trip per create, get, set, touch
 * and destroy (one script each); timeouts, versions and revocations are checked inside the
 * scripts with the server's clock. See docs/sessions.md.
 */
import type { Store } from '../stores/types.js'
import { createContext } from './context.js'
import { createExpressStore } from './express.js'
import { checkId, checkUserId } from './ids.js'
import { createKeyScheme } from './keys.js'
import { checkVersion, create, destroy, get, set, touch, update } from './operations.js'
import { resolveOptions, type SessionData, type SessionsOptions } from './options.js'
import { createPayloadCodec } from './payload.js'
import { rotateSession } from './rotate.js'
import type { Sessions } from './types.js'
import { countSessions, destroyAllForUser, listForUser } from './users.js'

/**
 * Creates the sessions primitive on `store`.
 * @example
 * const sessions = createSessions(store, { idleTimeout: '30m', absoluteTimeout: '12h' })
 * const { id } = await sessions.create({ cart: [] }, { userId: 'u42' })
 */
export function createSessions<T extends object = SessionData>(
  store: Store,
  options: SessionsOptions<T> = {},
): Sessions<T> {
  const opts = resolveOptions(options)
  const ctx = createContext<T>(store, createKeyScheme(opts.prefix), createPayloadCodec<T>(opts), opts)

  const sessions: Sessions<T> = {
    // bad input rejects the promise, as every failure does: the async wrappers turn a check's
    // throw into a rejection; create and get (async themselves) check inside, one promise less
    create: (data, createOptions) => create(ctx, data, createOptions),
    get: (id) => get(ctx, id, 'get'),
    set: async (id, data, writeOptions) => set(ctx, checkId(id), data, checkVersion(writeOptions)),
    update: async (id, patch, writeOptions) => update(ctx, checkId(id), patch, checkVersion(writeOptions)),
    touch: async (id) => touch(ctx, checkId(id)),
    destroy: async (id) => destroy(ctx, checkId(id)),
    rotate: async (id, rotateOptions) => rotateSession(ctx, checkId(id), rotateOptions ?? {}),
    listForUser: async (userId) => listForUser(ctx, checkUserId(userId)),
    destroyAllForUser: async (userId, destroyOptions) =>
      destroyAllForUser(ctx, checkUserId(userId), destroyOptions),
    count: async () => countSessions(ctx),
    expressStore: (expressOptions) => createExpressStore(ctx as never, sessions as never, expressOptions),
    stats: () => ({ ...ctx.counters }),
    on: (event, listener) => ctx.events.on(event, listener),
  }
  return sessions
}
