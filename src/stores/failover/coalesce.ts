/**
 * Coalescing of journaled increments: while Redis is down, a hot counter would otherwise put
 * one journal entry per call (160k a second on one key in a test). An increment is folded into
 * the newest entry of the same key when that entry is the same kind of increment, has not been
 * sent, and nothing else touched the key since — increments on one key commute with writes to
 * other keys, so the replayed result is the same. Only exact sums are folded: integer INCRBY and
 * HINCRBY, and ZINCRBY by whole numbers (a float sum could round differently from a sequence).
 */
import { COMMANDS } from '../commands.js'
import type { JournalEntry } from './journal.js'

const MAX_SAFE = Number.MAX_SAFE_INTEGER

/** The keys an entry touches (a merge target is only valid while it is the newest for its key). */
export function keysOf(entry: JournalEntry): string[] {
  return entry.kind === 'command' ? COMMANDS[entry.name].keys(entry.args) : entry.keys
}

/** Folds `next` into `into` when they are the same increment of the same target; true if folded. */
export function fold(into: JournalEntry, next: JournalEntry): boolean {
  if (into.kind !== 'command' || next.kind !== 'command' || into.name !== next.name) return false
  if (into.inDoubt || next.inDoubt || into.sealed) return false
  const a = into.args
  const b = next.args
  switch (next.name) {
    case 'incrby':
      return a[0] === b[0] && add(a, 1, b[1])
    case 'hincrby':
      return a[0] === b[0] && a[1] === b[1] && add(a, 2, b[2])
    case 'zincrby':
      return (
        a[0] === b[0] && a[2] === b[2] && Number.isInteger(a[1]) && Number.isInteger(b[1]) && add(a, 1, b[1])
      )
    default:
      return false
  }
}

function add(args: unknown[], index: number, by: unknown): boolean {
  const sum = (args[index] as number) + (by as number)
  if (!Number.isSafeInteger(sum) || Math.abs(sum) > MAX_SAFE) return false
  args[index] = sum
  return true
}
