/**
 * The seeds' image-generation cache as a recipe on kit.cache: images cached for 24 hours, keyed
 * by a hash of the prompt and every parameter (in a canonical order), stored as raw bytes — not
 * base64, a third smaller — with a size cap that fails clearly past it.
 *
 *   npx tsx examples/image-cache.ts                                      (memory store)
 *   REDIS_URL=redis://127.0.0.1:6379 npx tsx examples/image-cache.ts     (Redis)
 */
import { createHash } from 'node:crypto'
import { createKit, RedisKitError } from '../src/index.js'

const kit = createKit({ prefix: `example:images:${process.pid}:` })
const show = (label: string, value: unknown) => console.log(`  ${label.padEnd(44)} ${JSON.stringify(value)}`)
const MAX_IMAGE_BYTES = 4 * 1024 * 1024

interface ImageParams {
  prompt: string
  size: '256x256' | '512x512' | '1024x1024'
  style?: string
  seed?: number
}

let generated = 0
/** Stands in for an image model: returns raw RGBA bytes (4 per pixel) after a 4-byte header. */
async function generateImage(params: ImageParams): Promise<Buffer> {
  generated++
  await new Promise((resolve) => setTimeout(resolve, 150))
  const side = Number(params.size.split('x')[0])
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47]), Buffer.alloc(side * side * 4, generated)])
}

/** The key: a hash of the prompt (NFC) and every parameter, whatever their order. */
function imageKey(params: ImageParams): string {
  const canonical = JSON.stringify(
    Object.entries({ ...params, prompt: params.prompt.normalize('NFC').trim() })
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : 1)),
  )
  return `image:${createHash('sha256').update(canonical).digest('base64url')}`
}

/** The recipe: 24 h TTL, raw bytes, a size cap. */
const cachedImage = (params: ImageParams) =>
  kit.cache.getOrSet(
    imageKey(params),
    async () => {
      const image = await generateImage(params)
      if (image.length > MAX_IMAGE_BYTES) {
        throw new RedisKitError(
          'VALUE_TOO_LARGE',
          `image of ${image.length} bytes is over the ${MAX_IMAGE_BYTES}-byte cap; ask for a smaller size or raise MAX_IMAGE_BYTES`,
        )
      }
      return image
    },
    { ttl: '24h' },
  )

console.log(`image cache on ${kit.store.name}\n`)
const params: ImageParams = { prompt: 'a lighthouse at dusk', size: '512x512', style: 'watercolor' }
let t = performance.now()
const image = await cachedImage(params)
show('generated: bytes, ms', [image.length, Math.round(performance.now() - t)])
t = performance.now()
const again = await cachedImage({ style: 'watercolor', size: '512x512', prompt: 'a lighthouse at dusk ' })
show('cached (same prompt + params): same bytes, ms', [
  again.equals(image),
  Math.round(performance.now() - t),
])
show('another size: generated again', (await cachedImage({ ...params, size: '256x256' })).length)
show('images generated', generated)
if (kit.store.name !== 'memory') {
  const stored = await kit.store.getBuffer(`${kit.cache.keyPrefix}${imageKey(params)}`)
  show('stored bytes (raw) vs base64', [stored?.length, Math.ceil(image.length / 3) * 4])
}
try {
  await cachedImage({ ...params, size: '1024x1024' }) // 4 MiB + 4 bytes: one past the cap
} catch (err) {
  show('1024x1024 (over the cap)', `${(err as RedisKitError).code}: ${(err as Error).message.slice(12, 60)}…`)
}

await kit.cache.clear()
await kit.close()
