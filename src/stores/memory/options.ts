/** Options of createMemoryStore, validated with zod. */
import { z } from 'zod'

export const MEMORY_DEFAULTS = {
  maxKeys: 100_000,
  maxBytes: 128 * 1024 * 1024,
  maxValueBytes: 16 * 1024 * 1024,
} as const

export const memoryStoreOptionsSchema = z
  .object({
    /** Most keys kept; the least recently used are evicted beyond it. @default 100000 */
    maxKeys: z.number().int().positive().default(MEMORY_DEFAULTS.maxKeys),
    /** Estimated bytes kept; the least recently used keys are evicted beyond it. @default 128 MiB */
    maxBytes: z.number().int().positive().default(MEMORY_DEFAULTS.maxBytes),
    /** Largest single value accepted (VALUE_TOO_LARGE beyond it). @default 16 MiB */
    maxValueBytes: z.number().int().positive().default(MEMORY_DEFAULTS.maxValueBytes),
    /** The clock, in Unix milliseconds (for tests). @default Date.now */
    now: z
      .custom<() => number>((v) => typeof v === 'function', 'must be a function returning Unix milliseconds')
      .optional(),
  })
  .strict()

export type MemoryStoreOptions = z.input<typeof memoryStoreOptionsSchema>
