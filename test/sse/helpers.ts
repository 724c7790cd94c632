/** Reading SSE responses in tests: raw text, and events parsed as a browser parses them. */

export interface ParsedEvent {
  event: string
  id?: string
  data: string
}

/** Parses an event stream (complete events only), as EventSource does. */
export function parseEvents(text: string): { events: ParsedEvent[]; comments: string[]; retry?: number } {
  const events: ParsedEvent[] = []
  const comments: string[] = []
  let retry: number | undefined
  for (const block of text.split('\n\n').slice(0, -1)) {
    let event = 'message'
    let id: string | undefined
    const data: string[] = []
    for (const line of block.split('\n')) {
      if (line.startsWith(':')) comments.push(line.slice(1).trim())
      else if (line.startsWith('retry: ')) retry = Number(line.slice(7))
      else if (line.startsWith('event: ')) event = line.slice(7)
      else if (line.startsWith('id: ')) id = line.slice(4)
      else if (line.startsWith('data: ')) data.push(line.slice(6))
    }
    if (data.length > 0) events.push({ event, ...(id !== undefined ? { id } : {}), data: data.join('\n') })
  }
  return { events, comments, ...(retry !== undefined ? { retry } : {}) }
}

/** Reads a response body as it arrives; `text()` is everything so far. */
export function reader(body: ReadableStream<Uint8Array>) {
  const decoder = new TextDecoder()
  const r = body.getReader()
  let text = ''
  let ended = false
  const done = (async () => {
    try {
      for (;;) {
        const { value, done } = await r.read()
        if (done) break
        text += decoder.decode(value, { stream: true })
      }
    } catch {
      // aborted
    }
    ended = true
  })()
  return {
    text: () => text,
    parsed: () => parseEvents(text),
    get ended() {
      return ended
    },
    done,
    cancel: () => r.cancel(),
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

export async function until(check: () => boolean, what: string, ms = 5000): Promise<void> {
  for (const end = Date.now() + ms; Date.now() < end; await sleep(5)) if (check()) return
  throw new Error(`timed out waiting for ${what}`)
}
