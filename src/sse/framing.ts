/**
 * Server-Sent Events framing (WHATWG HTML § 9.2). An event is `field: value` lines ended by a
 * blank line; a data value with line breaks is sent as one `data:` line per line (the browser
 * joins them with "\n"); `event` and `id` cannot hold a line break (they would end the field,
 * and let a value inject fields), so they are refused, as is NUL in an id (browsers ignore such
 * an id). Comments (`: …`) keep idle connections open through proxies.
 */
import { invalidArgument } from '../errors.js'

export interface SseEvent {
  /** The event type (`event:`); default: a `message` event. */
  event?: string
  /** The event id (`id:`): what the browser sends back as Last-Event-ID when it reconnects. */
  id?: string
  data: string
}

const LINE_BREAK = /\r\n|\r|\n/
const ANY_BREAK = /[\r\n]/

function field(name: string, value: string): string {
  if (ANY_BREAK.test(value))
    throw invalidArgument(`SSE ${name} cannot contain CR or LF (got ${JSON.stringify(value)})`)
  if (name === 'id' && value.includes('\0')) throw invalidArgument('SSE id cannot contain NUL')
  return `${name}: ${value}\n`
}

/** The frame of one event, blank line included. */
export function frame(e: SseEvent): string {
  if (typeof e.data !== 'string') throw invalidArgument('SSE data must be a string')
  let out = ''
  if (e.event !== undefined) out += field('event', e.event)
  if (e.id !== undefined) out += field('id', e.id)
  for (const line of e.data.split(LINE_BREAK)) out += `data: ${line}\n`
  return `${out}\n`
}

/** A comment line (ignored by the browser): keep-alives, the first bytes that flush headers. */
export function comment(text: string): string {
  if (ANY_BREAK.test(text)) throw invalidArgument('an SSE comment cannot contain CR or LF')
  return `: ${text}\n\n`
}

/** How long the browser waits before reconnecting, in ms. */
export function retry(ms: number): string {
  if (!Number.isSafeInteger(ms) || ms < 0)
    throw invalidArgument('SSE retry must be a whole number of ms >= 0')
  return `retry: ${ms}\n\n`
}

/** Checks an event name given in options (no line breaks). */
export function eventName(name: unknown): string | undefined {
  if (name === undefined) return undefined
  if (typeof name !== 'string' || name.length === 0 || ANY_BREAK.test(name))
    throw invalidArgument(`event must be a non-empty string without CR or LF (got ${JSON.stringify(name)})`)
  return name
}
