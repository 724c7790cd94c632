/**
 * Small benchmark helpers shared by bench/*.ts: timed loops with warm-up, sequential latency
 * percentiles, concurrent throughput, a markdown table, and `compare`, the headline rows that
 * bench/run-all.ts gathers into the report's "How it compares" table. Every loop is bounded in count.
 */
import { appendFileSync } from 'node:fs'
import { startRedisServer } from '../test/support/redis.js'

export interface Measure {
  name: string
  opsPerSec: number
  p50Us?: number
  p99Us?: number
}

/** Runs `fn` sequentially `count` times (after a warm-up) and reports ops/s and latency. */
export async function sequential(name: string, count: number, fn: (i: number) => unknown): Promise<Measure> {
  for (let i = 0; i < Math.min(1000, count); i++) await fn(i)
  if (count > 100_000) {
    // in-process calls: timing each one would cost more than the call, so time the loop only
    const start = performance.now()
    for (let i = 0; i < count; i++) await fn(i)
    return { name, opsPerSec: (count / (performance.now() - start)) * 1000 }
  }
  const samples = new Float64Array(count)
  const start = performance.now()
  for (let i = 0; i < count; i++) {
    const t = performance.now()
    await fn(i)
    samples[i] = performance.now() - t
  }
  const total = performance.now() - start
  samples.sort()
  return {
    name,
    opsPerSec: (count / total) * 1000,
    p50Us: samples[Math.floor(count * 0.5)]! * 1000,
    p99Us: samples[Math.floor(count * 0.99)]! * 1000,
  }
}

/** Runs `fn` `count` times with `concurrency` callers in flight and reports ops/s. */
export async function concurrent(
  name: string,
  count: number,
  concurrency: number,
  fn: (i: number) => Promise<unknown>,
): Promise<Measure> {
  let next = 0
  const worker = async () => {
    while (next < count) await fn(next++)
  }
  await Promise.all(Array.from({ length: concurrency }, worker)) // warm-up pass shares the count
  next = 0
  const start = performance.now()
  await Promise.all(Array.from({ length: concurrency }, worker))
  return { name, opsPerSec: (count / (performance.now() - start)) * 1000 }
}

/** A synchronous tight loop (for in-process baselines such as lru-cache). */
export function syncLoop(name: string, count: number, fn: (i: number) => unknown): Measure {
  for (let i = 0; i < Math.min(10_000, count); i++) fn(i)
  const start = performance.now()
  for (let i = 0; i < count; i++) fn(i)
  return { name, opsPerSec: (count / (performance.now() - start)) * 1000 }
}

/** Best of `runs` repetitions (the least disturbed by other work on the machine). */
export async function best(runs: number, measure: () => Promise<Measure> | Measure): Promise<Measure> {
  let top: Measure | undefined
  for (let i = 0; i < runs; i++) {
    const m = await measure()
    if (!top || m.opsPerSec > top.opsPerSec) top = m
  }
  return top!
}

/** The middle value (the lower middle of an even count). */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor((sorted.length - 1) / 2)]!
}

/** What `rounds` measured: each variant's median repetition, and ratios within repetitions. */
export interface Rounds {
  /** The repetition of `name` with the median ops/s (its latencies too). */
  measure(name: string): Measure
  /** ops/s of `a` ÷ ops/s of `b`, taken within each repetition; the median over repetitions. */
  ratio(a: string, b: string): number
}

/**
 * Runs every variant once per repetition, in turn (each repetition starting one variant later),
 * `reps` times. This machine's speed drifts over minutes (the same loop measured 36.8k and
 * 79.8k ops/s in the research): a ratio taken
 * within one repetition sees both sides at the same speed, where a best-of-N per variant can
 * give one side a fast phase the other never had. The research measured the peers this way.
 */
export async function rounds(reps: number, variants: [string, () => Promise<Measure>][]): Promise<Rounds> {
  const runs = new Map<string, Measure[]>(variants.map(([name]) => [name, []]))
  for (let rep = 0; rep < reps; rep++) {
    // each repetition starts one variant later: whatever the order costs (the first run after a
    // change of mode grows the heap, for one) falls on a different variant each time
    for (let i = 0; i < variants.length; i++) {
      const [name, measure] = variants[(i + rep) % variants.length]!
      runs.get(name)!.push(await measure())
    }
  }
  const of = (name: string) => {
    const measures = runs.get(name)
    if (!measures) throw new Error(`rounds: no variant named ${name}`)
    return measures
  }
  return {
    measure(name) {
      const measures = of(name)
      const middle = median(measures.map((m) => m.opsPerSec))
      return measures.find((m) => m.opsPerSec === middle)!
    },
    ratio(a, b) {
      const [ours, base] = [of(a), of(b)]
      return median(ours.map((m, i) => m.opsPerSec / base[i]!.opsPerSec))
    },
  }
}

export function fmt(n: number | undefined, digits = 1): string {
  return n === undefined ? '' : n >= 1000 ? Math.round(n).toLocaleString('en-US') : n.toFixed(digits)
}

/**
 * Prints rows of [ours, baseline] pairs with the ratio ours/baseline (higher is better): the
 * row's own ratio when given (from `rounds`), else the two ops/s divided.
 */
export function table(title: string, pairs: [Measure, Measure, string, number?][]): string {
  const lines = [
    `### ${title}`,
    '',
    '| case | ours ops/s | ours p50 µs | ours p99 µs | baseline | baseline ops/s | baseline p50 µs | ratio (ours/baseline) | target |',
    '|---|---|---|---|---|---|---|---|---|',
  ]
  for (const [ours, base, target, ratio = ours.opsPerSec / base.opsPerSec] of pairs) {
    lines.push(
      `| ${ours.name} | ${fmt(ours.opsPerSec)} | ${fmt(ours.p50Us)} | ${fmt(ours.p99Us)} | ${base.name} | ${fmt(base.opsPerSec)} | ${fmt(base.p50Us)} | ${ratio.toFixed(2)}x | ${target} |`,
    )
  }
  return lines.join('\n')
}

/** REDIS_URL if set, else a redis-server started for this run (stopped by `stop`). */
export async function benchRedis(): Promise<{ url: string; stop: () => Promise<void> }> {
  if (process.env.REDIS_URL) return { url: process.env.REDIS_URL, stop: async () => {} }
  const server = await startRedisServer()
  return { url: server.url, stop: () => server.stop() }
}

/** One headline row of the "How it compares" table (bench/run-all-summary.ts renders it). */
export interface Comparison {
  /** The part of the kit: 'cache', 'rate limit' … */
  area: string
  /** What is measured, with its unit: 'L1 hit, sequential, ops/s'. */
  case: string
  /** redis-kit's figure (numbers are formatted with fmt). */
  ours: number | string
  /** The peer library or raw-client floor it is compared with, named: 'bentocache', 'ioredis GET'. */
  peer: string
  /** The peer's figure, same unit. */
  theirs: number | string
  /** Last column; by default ours ÷ theirs ("0.59x": ops/s, above 1 = redis-kit ahead). */
  ratio?: string
}

/** The file run-all.ts names in BENCH_SUMMARY for the running bench (JSON lines). */
export const SUMMARY_ENV = 'BENCH_SUMMARY'

/**
 * Records a headline row for the report's "How it compares" table: appends it as a JSON line to
 * the file in BENCH_SUMMARY (set by bench/run-all.ts); does nothing when the bench runs alone.
 */
export function compare(c: Comparison): void {
  const file = process.env[SUMMARY_ENV]
  if (!file) return
  const cell = (v: number | string) =>
    typeof v !== 'number' ? v : Number.isInteger(v) ? v.toLocaleString('en-US') : fmt(v, v < 10 ? 2 : 1)
  const ratio =
    c.ratio ??
    (typeof c.ours === 'number' && typeof c.theirs === 'number' ? `${(c.ours / c.theirs).toFixed(2)}x` : '')
  const row = { ...c, ours: cell(c.ours), theirs: cell(c.theirs), ratio }
  appendFileSync(file, `${JSON.stringify(row)}\n`)
}

/** `compare` for [ours, baseline] ops/s pairs as `table` prints them (case: ours' name + ', ops/s'). */
export function compareOps(
  area: string,
  pairs: [Measure, Measure, string?, number?][],
  label?: (m: Measure) => string,
) {
  for (const [ours, base, , ratio] of pairs)
    compare({
      area,
      case: `${label ? label(ours) : ours.name}, ops/s`,
      ours: ours.opsPerSec,
      peer: base.name,
      theirs: base.opsPerSec,
      ...(ratio === undefined ? {} : { ratio: `${ratio.toFixed(2)}x` }),
    })
}
