/**
 * Streaming RESP framing for the fault proxy (fault-proxy.ts). It never buffers payloads: it
 * only tracks where top-level frames end, so bytes can be forwarded as they arrive.
 *
 * Understands RESP2 and RESP3 replies (`$ ! =` bulk, `* ~ >` arrays/sets/push, `%` maps,
 * `|` attributes, which precede a value without being one, and the one-line types) and, for
 * requests, inline commands (a line that does not start with a type byte). Streamed
 * aggregates (`$?`, `*?`) are not sent by Redis and are not supported: after any byte it does
 * not understand the scanner is `broken` and reports no more frames.
 */

const AGGREGATES: Record<string, number> = { '*': 1, '~': 1, '>': 1, '%': 2, '|': 2 }
const ONE_LINE = new Set(['+', '-', ':', '_', ',', '#', '('])
const BULK = new Set(['$', '!', '='])
/** Longest header or one-line value accepted; longer means garbage, not RESP. */
const MAX_LINE = 1 << 20

interface Open {
  left: number
  /** false for attributes: completing one does not complete an element of the parent. */
  counts: boolean
}

export class RespScanner {
  broken = false
  private line = ''
  private skip = 0
  private readonly stack: Open[] = []
  private push = false

  /** `requests`: accept inline commands at top level (a client's direction). */
  constructor(private readonly requests = false) {}

  /**
   * Scans `chunk`; calls `onFrame(end, push)` for every top-level frame that completes in it,
   * `end` being the offset just past the frame, `push` whether it was a RESP3 push (`>`).
   */
  feed(chunk: Buffer, onFrame: (end: number, push: boolean) => void): void {
    let pos = 0
    while (pos < chunk.length && !this.broken) {
      if (this.skip > 0) {
        const n = Math.min(this.skip, chunk.length - pos)
        this.skip -= n
        pos += n
        if (this.skip === 0) this.valueDone(pos, onFrame)
        continue
      }
      const nl = chunk.indexOf(10, pos)
      if (nl < 0) {
        this.line += chunk.toString('latin1', pos)
        if (this.line.length > MAX_LINE) this.broken = true
        return
      }
      const line = (this.line + chunk.toString('latin1', pos, nl)).replace(/\r$/, '')
      this.line = ''
      pos = nl + 1
      this.header(line, pos, onFrame)
    }
  }

  private header(line: string, pos: number, onFrame: (end: number, push: boolean) => void): void {
    const type = line.charAt(0)
    const n = Number(line.slice(1))
    const per = AGGREGATES[type]
    if (ONE_LINE.has(type) || (BULK.has(type) && n < 0)) this.valueDone(pos, onFrame)
    else if (BULK.has(type) && Number.isInteger(n)) this.skip = n + 2
    else if (per !== undefined && Number.isInteger(n)) {
      if (this.stack.length === 0 && type === '>') this.push = true
      if (n > 0) this.stack.push({ left: n * per, counts: type !== '|' })
      else if (type !== '|') this.valueDone(pos, onFrame) // empty or null aggregate
    } else if (!this.requests || this.stack.length > 0) this.broken = true
    // An inline command (`PING\r\n`); a blank line is skipped by Redis and answers nothing.
    else if (line.trim() !== '') this.valueDone(pos, onFrame)
  }

  private valueDone(pos: number, onFrame: (end: number, push: boolean) => void): void {
    for (let depth = this.stack.length; depth >= 0; depth--) {
      const open = this.stack[this.stack.length - 1]
      if (!open) {
        const push = this.push
        this.push = false
        onFrame(pos, push)
        return
      }
      if (--open.left > 0) return
      this.stack.pop()
      if (!open.counts) return
    }
  }
}

/**
 * Decodes one complete request frame (an array of bulk strings, or an inline command) into
 * its arguments; the command name is upper-cased. Returns [] for anything else.
 */
export function decodeCommand(frame: Buffer): string[] {
  if (frame[0] !== 0x2a) {
    const words = frame.toString('utf8').trim().split(/\s+/)
    return words[0] ? [words[0].toUpperCase(), ...words.slice(1)] : []
  }
  let eol = frame.indexOf('\r\n')
  const count = Number(frame.toString('latin1', 1, eol))
  const args: string[] = []
  let pos = eol + 2
  for (let i = 0; i < count && pos < frame.length; i++) {
    eol = frame.indexOf('\r\n', pos)
    if (frame[pos] !== 0x24 || eol < 0) return []
    const len = Number(frame.toString('latin1', pos + 1, eol))
    args.push(frame.toString('utf8', eol + 2, eol + 2 + len))
    pos = eol + 4 + len
  }
  if (args[0] !== undefined) args[0] = args[0].toUpperCase()
  return args
}
