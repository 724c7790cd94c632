/**
 * @module redis-kit/sse
 * Server-Sent Events from pub/sub channels (live) and streams (durable, resumable with
 * Last-Event-ID), as a Web Response or on a Node response, with authorization required.
 */
export type { ConnectionStats } from './connection.js'
export { comment, frame, retry, type SseEvent } from './framing.js'
export { toRequest } from './node.js'
export {
  type Authorize,
  createSse,
  SSE_HEADERS,
  type Sse,
  type SseOptions,
  type SseSource,
  type SseStats,
} from './sse.js'
