/**
 * Checking entries: a stored value decoded and judged (within its grace or fresh; its tag versions
 * current), an entry tied to the tag versions it was checked against, and the O(1) check an L1
 * hit makes of them.
 */
import type { Core } from './core.js'
import { decodeEntry, type Entry, type TagState } from './envelope.js'

/**
 * Whether the tag versions an entry was checked against still hold. O(1) while no known version
 * died since (the epoch did not move); else a walk over its versions, which re-arms the epoch.
 */
export function tagsHold(entry: Entry, now: number, epoch: number): boolean {
  const refs = entry.refs
  if (refs === undefined) return true
  if (entry.epoch === epoch && now < entry.refsUntil!) return true
  for (let i = 0; i < refs.length; i++) {
    const ref = refs[i]!
    if (ref.dead || now >= ref.until) return false
  }
  entry.epoch = epoch
  return true
}

/**
 * Decodes a stored value and checks it (not past its grace, or its freshness when `fresh`; tag
 * versions current). Corrupt values and store errors are reported and read as a miss.
 */
export function accept(
  core: Core,
  key: string,
  stored: Buffer,
  fresh: boolean,
): Entry | undefined | Promise<Entry | undefined> {
  let entry: Entry
  try {
    entry = decodeEntry(stored)
  } catch (err) {
    core.signals.error(err, 'decode', core.userKey(key))
    return undefined
  }
  if (core.now() >= (fresh ? entry.freshUntil : entry.staleUntil)) return undefined
  if (entry.tags === undefined) return entry
  const known = core.tags.check(entry.tags, core.now())
  if (known !== undefined) {
    if (known === false) return undefined
    attach(core, entry, known)
    return entry
  }
  return core.tags.validate(entry.tags).then(
    (refs) => {
      if (refs === false) return undefined
      attach(core, entry, refs)
      return entry
    },
    (err) => {
      core.signals.error(err, 'tags', core.userKey(key))
      return undefined
    },
  )
}

/** Ties an entry to the tag versions it was just checked against. */
export function attach(core: Core, entry: Entry, refs: TagState[]): void {
  let until = Number.POSITIVE_INFINITY
  let dead = false
  for (const ref of refs) {
    until = Math.min(until, ref.until)
    dead ||= ref.dead
  }
  entry.refs = refs
  entry.refsUntil = until
  // a version that is already dead (it died before this call, or was never kept) never re-arms
  entry.epoch = dead ? -1 : core.tags.epoch
}
