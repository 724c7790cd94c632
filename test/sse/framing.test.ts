/** SSE framing: data split per line, CR/LF refused where it would inject fields, comments, retry. */
import { describe, expect, it } from 'vitest'
import { isKitError } from '../../src/errors.js'
import { comment, frame, retry } from '../../src/sse/index.js'
import { parseEvents } from './helpers.js'

describe('SSE framing', () => {
  it('one data line per line of the payload, whatever the line breaks; a blank line ends the event', () => {
    expect(frame({ data: 'a\nb\r\nc\rd' })).toBe('data: a\ndata: b\ndata: c\ndata: d\n\n')
    expect(frame({ event: 'update', id: '17-0', data: '{"x":1}' })).toBe(
      'event: update\nid: 17-0\ndata: {"x":1}\n\n',
    )
    expect(frame({ data: '' })).toBe('data: \n\n')
    expect(parseEvents(frame({ id: '1-0', data: 'line 1\nline 2' })).events).toEqual([
      { event: 'message', id: '1-0', data: 'line 1\nline 2' },
    ])
  })

  it('CR or LF in event or id, and NUL in id, are refused (they would inject fields)', () => {
    for (const bad of [
      { event: 'x\ndata: injected', data: '' },
      { event: 'x\r', data: '' },
      { id: '1\nevent: evil', data: '' },
      { id: '1\r2', data: '' },
      { id: '1\u00002', data: '' },
    ]) {
      let err: unknown
      try {
        frame(bad)
      } catch (e) {
        err = e
      }
      expect(isKitError(err, 'INVALID_ARGUMENT'), JSON.stringify(bad)).toBe(true)
    }
    expect(() => comment('a\nb')).toThrow(/CR or LF/)
    expect(() => frame({ data: 5 as never })).toThrow(/must be a string/)
  })

  it('comments and retry', () => {
    expect(comment('keep-alive')).toBe(': keep-alive\n\n')
    expect(retry(2000)).toBe('retry: 2000\n\n')
    expect(() => retry(-1)).toThrow(/retry/)
  })
})
