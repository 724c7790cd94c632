/**
 * storeConformance: registers the whole Store conformance suite with the caller's test runner.
 * Every test works in its own random key namespace and deletes what it wrote, so the suite can
 * run against a shared Redis (it never flushes) and side by side with other suites.
 */
import { badInputTests } from './bad-input.js'
import { batchTests } from './batch.js'
import { bitmapTests } from './bitmaps.js'
import { createSuite } from './harness.js'
import { hashTests } from './hashes.js'
import { hyperLogLogTests } from './hyperloglog.js'
import { crossSlotTests, keyTests } from './keys.js'
import { lifecycleTests } from './lifecycle.js'
import { listTests } from './lists.js'
import { pubsubTests } from './pubsub.js'
import { scanTests } from './scan.js'
import { scriptTests } from './scripts.js'
import { setTests } from './sets.js'
import { sortedSetRangeTests } from './sorted-set-ranges.js'
import { sortedSetTests } from './sorted-sets.js'
import { streamBlockingTests } from './stream-blocking.js'
import { streamGroupTests } from './stream-groups.js'
import { streamTests } from './streams.js'
import { stringTests } from './strings.js'
import type { ConformanceOptions } from './types.js'
import { wrongTypeTests } from './wrongtype.js'

const GROUPS = [
  stringTests,
  keyTests,
  wrongTypeTests,
  hashTests,
  setTests,
  listTests,
  sortedSetTests,
  sortedSetRangeTests,
  hyperLogLogTests,
  bitmapTests,
  streamTests,
  streamGroupTests,
  streamBlockingTests,
  crossSlotTests,
  scanTests,
  scriptTests,
  batchTests,
  pubsubTests,
  badInputTests,
  lifecycleTests,
]

/**
 * Registers the conformance suite: call it at the top level of a test file.
 *
 * ```ts
 * import { afterAll, beforeAll, describe, expect, it } from 'vitest'
 * import { storeConformance } from 'redis-kit/testing'
 *
 * storeConformance({
 *   name: 'my store',
 *   createStore: (limits) => createMyStore({ maxValueBytes: limits?.maxValueBytes }),
 *   test: { describe, it, expect, beforeAll, afterAll },
 * })
 * ```
 */
export function storeConformance(options: ConformanceOptions): void {
  if (typeof options?.createStore !== 'function') {
    throw new TypeError('storeConformance needs createStore: () => Store | Promise<Store>')
  }
  const { describe, it, expect } = options.test ?? {}
  if (typeof describe !== 'function' || typeof it !== 'function' || typeof expect !== 'function') {
    throw new TypeError(
      'storeConformance needs test: { describe, it, expect, beforeAll?, afterAll? } from your runner',
    )
  }
  describe(`Store conformance: ${options.name}`, () => {
    const suite = createSuite(options)
    for (const group of GROUPS) group(suite)
  })
}
