/**
 * Days in a time zone: the date ('YYYY-MM-DD') an instant falls on, the last n dates, and how
 * long a day's keys live. UTC by default; any IANA zone ('Europe/Paris') through Intl, with DST
 * handled by the platform. Dates are computed by the client (never by Redis's clock), so an event
 * replayed after an outage lands on the day it happened.
 */

const DAY_MS = 86_400_000
/** Offsets change on quarter hours at most: a date computed for one quarter holds for all of it. */
const QUARTER_MS = 900_000

export interface Calendar {
  readonly timeZone: string
  /** The date of `ms` in the time zone. */
  dayOf(ms: number): string
  /** `count` dates ending with `last` (included), oldest first. */
  daysUntil(last: string, count: number): string[]
  /** Seconds until the keys of `date` expire: `retentionDays` after the day ends (+1 day for zones). */
  ttlOf(date: string, retentionDays: number, now: number): number
}

const isoDate = (ms: number) => new Date(ms).toISOString().slice(0, 10)

/** Midnight UTC of a 'YYYY-MM-DD' date, in ms. */
function utcMidnight(date: string): number {
  return Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10)))
}

/** true when `timeZone` is a zone Intl knows (an IANA name such as 'Europe/Paris', or 'UTC'). */
export function isTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone })
    return true
  } catch {
    return false
  }
}

export function createCalendar(timeZone: string): Calendar {
  const utc = timeZone === 'UTC' || timeZone === 'Etc/UTC'
  const format = utc
    ? undefined
    : new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' })
  let cachedSlot = Number.NaN
  let cachedDay = ''

  function compute(ms: number): string {
    if (!format) return isoDate(ms)
    const parts: Record<string, string> = {}
    for (const { type, value } of format.formatToParts(ms)) parts[type] = value
    return `${parts.year!.padStart(4, '0')}-${parts.month}-${parts.day}`
  }

  return {
    timeZone,
    dayOf(ms) {
      const slot = Math.floor(ms / (utc ? DAY_MS : QUARTER_MS))
      if (slot !== cachedSlot) {
        cachedDay = compute(ms)
        cachedSlot = slot
      }
      return cachedDay
    },
    daysUntil(last, count) {
      const end = utcMidnight(last)
      const days: string[] = []
      for (let i = count - 1; i >= 0; i--) days.push(isoDate(end - i * DAY_MS))
      return days
    },
    ttlOf(date, retentionDays, now) {
      // the day ends at most 14 h after its UTC midnight + 24 h: one more day covers every zone
      const expireAt = utcMidnight(date) + (retentionDays + 2) * DAY_MS
      return Math.max(0, Math.ceil((expireAt - now) / 1000))
    },
  }
}
