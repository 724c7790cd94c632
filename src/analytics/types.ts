/** The public types of analytics. */
import type { Duration } from '../internal/duration.js'
import type { Estimate } from '../internal/primitive.js'

export interface AnalyticsOptions {
  /** Prefix of every key. @default 'kit:' (as createKit) */
  prefix?: string
  /** How long daily counts, uniques and breakdowns are kept. @default '90d' */
  retention?: Duration
  /**
   * Event properties counted per value, per day (e.g. ['model'] → how many chat_message events
   * per model). Only these properties are stored; keep their values few (a hash field each).
   */
  breakdown?: string[]
  /** The time zone that days are counted in: 'UTC' or an IANA name ('Europe/Paris'). @default 'UTC' */
  timeZone?: string
  /** The clock, in ms since the epoch (inject one in tests). @default Date.now */
  now?: () => number
}

/** Event properties: any JSON-like values; only the properties named in `breakdown` are stored. */
export type EventProps = Readonly<Record<string, unknown>>

export interface TrackedEvent {
  name: string
  /** A user id, or null for an anonymous event (counted, not in the unique users). */
  userId: string | null
  props?: EventProps
  /** When it happened (ms since the epoch or a Date). @default now */
  at?: number | Date
}

export interface DailyStats {
  /** 'YYYY-MM-DD' in the analytics time zone. */
  date: string
  count: number
  /** Unique users that day (an estimate, ±0.81%). */
  unique: number
}

export interface EventStats {
  event: string
  /** Every event of this name ever tracked. Exact. */
  total: number
  /** Every distinct user ever tracked with it (an estimate, ±0.81%). */
  unique: number
  /** One entry per day, oldest first, today last; days without events are zeros. */
  daily: DailyStats[]
  /** Which figures are estimates: every `unique`, with a relative standard error of 0.81%. */
  approximate: { unique: true; standardError: number }
}

export interface BreakdownEntry {
  value: string
  count: number
}

export interface ActiveUsers extends Estimate {
  /** The first and last day counted ('YYYY-MM-DD'). */
  from: string
  to: string
}

export interface AnalyticsStats {
  /** Events recorded (trackEvent and each event of trackMany). */
  tracked: number
  /** Write round trips sent (one per trackEvent, one per event name and day in trackMany). */
  writes: number
  reads: number
  /** Event names that could not be added to the list of getEvents (retried with the next event). */
  registryErrors: number
}

export interface Analytics {
  /**
   * Records one event in one round trip: the total, the unique users, today's count and unique
   * users, and today's breakdown of the `breakdown` properties. Counted once across an outage.
   * @example await analytics.trackEvent('chat_message', userId, { conversationId, model })
   */
  trackEvent(name: string, userId: string | null, props?: EventProps): Promise<void>
  /** Records many events: one round trip per event name and day, all sent at once. */
  trackMany(events: readonly TrackedEvent[]): Promise<void>
  /** Totals and the last `days` days (default 30, at most the retention), in one round trip. */
  getStats(name: string, options?: { days?: number }): Promise<EventStats>
  /** Counts per value of a `breakdown` property over the last `days` days, most frequent first. */
  getBreakdown(
    name: string,
    property: string,
    options?: { days?: number; limit?: number },
  ): Promise<BreakdownEntry[]>
  /**
   * Distinct users of `name` over the last `days` days, today included (1: daily, 7: weekly, 30:
   * monthly active users): the union of the daily HyperLogLogs, an estimate (±0.81%).
   */
  activeUsers(name: string, options?: { days?: number }): Promise<ActiveUsers>
  /** Every event name tracked, sorted. */
  getEvents(): Promise<string[]>
  stats(): AnalyticsStats
}
