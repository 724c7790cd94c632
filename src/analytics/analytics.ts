/**
 * createAnalytics: event counts, unique users (HyperLogLog), daily series with retention,
 * per-property breakdowns and active users, on any Store. trackEvent is one round trip (one
 * script); reads are one round trip each (a pipeline, or one PFCOUNT). See docs/analytics.md.
 */
import { z } from 'zod'
import { invalidArgument } from '../errors.js'
import { toMs } from '../internal/duration.js'
import { durationSchema, parseOptions } from '../internal/options.js'
import { clockSchema, prefixSchema, readClock } from '../internal/primitive.js'
import type { Store } from '../stores/types.js'
import { createCalendar, isTimeZone } from './calendar.js'
import { breakdownFields, checkEvent, checkUser, createLayout, instantOf } from './layout.js'
import { createQueries } from './queries.js'
import { trackScript } from './track-script.js'
import type { Analytics, AnalyticsOptions, AnalyticsStats, TrackedEvent } from './types.js'

const DAY_MS = 86_400_000
/** Event names this process has registered (getEvents); beyond this many, it starts over. */
const MAX_REGISTERED = 10_000

const schema = z
  .object({
    prefix: prefixSchema(),
    retention: durationSchema()
      .default('90d')
      .refine((d) => toMs(d) >= DAY_MS && toMs(d) <= 3660 * DAY_MS, {
        message: 'must be from 1 to 3660 days',
      }),
    breakdown: z
      .array(
        z
          .string()
          .min(1)
          .max(100)
          .refine((p) => !p.includes('='), { message: "a property name must not contain '='" }),
      )
      .max(32)
      .default([]),
    timeZone: z
      .string()
      .default('UTC')
      .refine(isTimeZone, { message: "must be 'UTC' or an IANA time zone such as 'Europe/Paris'" }),
    now: clockSchema(),
  })
  .strict()

/** One script call: events of one name on one day. */
interface Group {
  event: string
  date: string
  count: number
  users: Set<string>
  fields: Map<string, number>
}

export function createAnalytics(store: Store, options: AnalyticsOptions = {}): Analytics {
  const opts = parseOptions(schema, options, 'createAnalytics')
  const layout = createLayout(opts.prefix)
  const calendar = createCalendar(opts.timeZone)
  const retentionDays = Math.ceil(toMs(opts.retention) / DAY_MS)
  const counters: AnalyticsStats = { tracked: 0, writes: 0, reads: 0, registryErrors: 0 }
  const registered = new Set<string>()

  function send(group: Group, now: number): Promise<unknown> {
    const { event, date, count, users, fields } = group
    const ttl = calendar.ttlOf(date, retentionDays, now)
    const argv: (string | number)[] = [count, ttl, users.size, ...users]
    for (const [field, n] of fields) argv.push(field, n)
    const keys = [
      layout.total(event),
      layout.users(event),
      layout.dayCount(event, date),
      layout.dayUsers(event, date),
      layout.dayProps(event, date),
    ]
    counters.writes++
    const write = store.eval(trackScript, keys, argv)
    if (registered.has(event)) return write
    // The first event of a name in this process also registers the name (another slot, so
    // another command), sent alongside: the same round trip. Its failure does not fail the event
    // (which was counted: a caller retrying would count it twice); the next event registers it.
    const register = store.sadd(layout.registry, [event]).then(
      () => {
        if (registered.size >= MAX_REGISTERED) registered.clear()
        registered.add(event)
      },
      () => {
        counters.registryErrors++
      },
    )
    return Promise.all([write, register])
  }

  function groupOf(groups: Map<string, Group>, event: string, at: number): Group {
    const date = calendar.dayOf(at)
    const id = `${date}\0${event}`
    let group = groups.get(id)
    if (!group) {
      group = { event, date, count: 0, users: new Set(), fields: new Map() }
      groups.set(id, group)
    }
    return group
  }

  function add(group: Group, userId: string | null, fields: string[]): void {
    group.count++
    if (userId !== null) group.users.add(userId)
    for (const field of fields) group.fields.set(field, (group.fields.get(field) ?? 0) + 1)
  }

  return {
    async trackEvent(name, userId, props) {
      const event = checkEvent(name)
      const user = checkUser(userId)
      const fields = breakdownFields(props, opts.breakdown)
      const now = readClock(opts.now)
      const date = calendar.dayOf(now)
      counters.tracked++
      await send(
        {
          event,
          date,
          count: 1,
          users: new Set(user === null ? [] : [user]),
          fields: new Map(fields.map((f) => [f, 1])),
        },
        now,
      )
    },
    async trackMany(events) {
      if (!Array.isArray(events)) throw invalidArgument('trackMany takes an array of events')
      const now = readClock(opts.now)
      const groups = new Map<string, Group>()
      // check everything first: bad input writes nothing
      for (const item of events as readonly TrackedEvent[]) {
        const e = (item ?? {}) as Partial<TrackedEvent>
        const event = checkEvent(e.name)
        const user = checkUser(e.userId)
        const fields = breakdownFields(e.props, opts.breakdown)
        add(groupOf(groups, event, instantOf(e.at, now)), user, fields)
      }
      counters.tracked += events.length
      await Promise.all([...groups.values()].map((group) => send(group, now)))
    },
    ...createQueries({
      store,
      layout,
      calendar,
      retentionDays,
      now: () => readClock(opts.now),
      counters,
      breakdown: opts.breakdown,
    }),
    stats: () => ({ ...counters }),
  }
}
