/** The memory store's streams: entries, consumer groups, claims, and blocked reads. */
export { StreamWaiters } from './blocking.js'
export { type ClaimCommands, claimCommands } from './claims.js'
export { type EntryCommands, entryCommands, resolveCursors, type StreamContext } from './entries.js'
export { type GroupCommands, groupCommands } from './group-commands.js'
