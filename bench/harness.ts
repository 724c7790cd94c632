/**
 * Small benchmark helpers shared by bench/*.ts: timed loops with warm-up, sequential latency
 * percentiles, concurrent throughput, and a markdown table. Every loop is bounded in count.
 */
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

export function fmt(n: number | undefined, digits = 1): string {
  return n === undefined ? '' : n >= 1000 ? Math.round(n).toLocaleString('en-US') : n.toFixed(digits)
}

/** Prints rows of [ours, baseline] pairs with the ratio ours/baseline (higher is better). */
export function table(title: string, pairs: [Measure, Measure, string][]): string {
  const lines = [
    `### ${title}`,
    '',
    '| case | ours ops/s | ours p50 µs | ours p99 µs | baseline | baseline ops/s | baseline p50 µs | ratio (ours/baseline) | target |',
    '|---|---|---|---|---|---|---|---|---|',
  ]
  for (const [ours, base, target] of pairs) {
    lines.push(
      `| ${ours.name} | ${fmt(ours.opsPerSec)} | ${fmt(ours.p50Us)} | ${fmt(ours.p99Us)} | ${base.name} | ${fmt(base.opsPerSec)} | ${fmt(base.p50Us)} | ${(ours.opsPerSec / base.opsPerSec).toFixed(2)}x | ${target} |`,
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
