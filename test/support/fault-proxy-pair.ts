import type { Socket } from 'node:net'
import { type Faults, Pipe } from './fault-proxy-pipe.js'
import { decodeCommand, RespScanner } from './fault-proxy-resp.js'

/**
 * One proxied connection of the fault proxy (fault-proxy.ts): the client's socket, its own
 * upstream socket, and a pipe each way. Both directions are scanned for RESP frame ends without
 * buffering, so the pair always knows how many replies Redis still owes; reply() uses that to
 * put local replies in command order.
 */
export interface Stats {
  bytesUp: number
  bytesDown: number
}

type Slot = { owed: number } | { local: Buffer }

export class Pair {
  readonly up: Pipe
  readonly down: Pipe
  private readonly upScan = new RespScanner(true)
  private readonly downScan = new RespScanner()
  /** Replies still to send, in command order: runs of replies owed by Redis, or local ones. */
  private readonly slots: Slot[] = []
  private inCommand = false
  private held: Buffer[] | undefined
  private closed = false

  constructor(
    private readonly client: Socket,
    private readonly upstream: Socket,
    private readonly faults: Faults,
    stats: Stats,
    private readonly onClosed: (pair: Pair) => void,
  ) {
    this.up = new Pipe('up', client, upstream, faults, () => this.close('fin'))
    this.down = new Pipe('down', upstream, client, faults, () => this.close('fin'))
    client.on('data', (chunk: Buffer) => {
      stats.bytesUp += chunk.length
      this.onUp(chunk)
    })
    upstream.on('data', (chunk: Buffer) => {
      stats.bytesDown += chunk.length
      this.onDown(chunk)
    })
    client.on('end', () => this.up.end())
    upstream.on('end', () => this.down.end())
    client.on('close', (hadError) => this.close(hadError ? 'rst' : 'destroy'))
    upstream.on('close', (hadError) => this.close(hadError ? 'rst' : 'destroy'))
  }

  close(how: 'rst' | 'fin' | 'destroy'): void {
    if (this.closed) return
    this.closed = true
    this.up.destroy()
    this.down.destroy()
    for (const socket of [this.client, this.upstream]) {
      if (how === 'fin') {
        socket.end()
        setTimeout(() => socket.destroy(), 1000).unref()
      } else if (how === 'rst' && !socket.destroyed) socket.resetAndDestroy()
      else socket.destroy()
    }
    this.onClosed(this)
  }

  private onUp(chunk: Buffer): void {
    let start = 0
    if (!this.upScan.broken)
      this.upScan.feed(chunk, (end) => {
        this.command(chunk.subarray(start, end), true)
        start = end
      })
    if (start === chunk.length) return
    if (!this.upScan.broken) this.command(chunk.subarray(start), false)
    else {
      // Not RESP we understand: stop holding and forward everything as is from here on.
      if (this.held) this.up.send(Buffer.concat(this.held))
      this.held = undefined
      this.up.send(chunk.subarray(start))
    }
  }

  private command(piece: Buffer, complete: boolean): void {
    if (!this.inCommand) {
      this.inCommand = true
      this.held = this.faults.reply ? [] : undefined
    }
    if (this.held) this.held.push(piece)
    else this.up.send(piece)
    if (!complete) return
    this.inCommand = false
    const frame = this.held && Buffer.concat(this.held)
    this.held = undefined
    const local = frame && this.answer(frame)
    if (local !== undefined) this.slots.push({ local: Buffer.from(local) })
    else {
      if (frame) this.up.send(frame)
      const last = this.slots[this.slots.length - 1]
      if (last && 'owed' in last) last.owed++
      else this.slots.push({ owed: 1 })
    }
    this.flushLocal()
  }

  private answer(frame: Buffer): string | undefined {
    try {
      return this.faults.reply?.(decodeCommand(frame))
    } catch (err) {
      return `-ERR fault-proxy reply() threw: ${String((err as Error).message).replace(/\s+/g, ' ')}\r\n`
    }
  }

  private onDown(chunk: Buffer): void {
    let start = 0
    if (!this.downScan.broken)
      this.downScan.feed(chunk, (end, push) => {
        this.down.send(chunk.subarray(start, end))
        start = end
        if (push) return
        const head = this.slots[0]
        if (head && 'owed' in head && --head.owed === 0) this.slots.shift()
        this.flushLocal()
      })
    if (start < chunk.length) this.down.send(chunk.subarray(start))
  }

  private flushLocal(): void {
    for (let head = this.slots[0]; head && 'local' in head; head = this.slots[0]) {
      this.slots.shift()
      this.down.send(head.local)
    }
  }
}
