// Next.js cache values hold Buffers (rscData, route bodies) and Maps (segmentData): JSON alone
// would lose them. This codec keeps both, as tagged objects.

/** @param {unknown} value @returns {string} */
export function encode(value) {
  return JSON.stringify(value, function replacer(key, current) {
    const original = /** @type {Record<string, unknown>} */ (this)[key]
    if (Buffer.isBuffer(original)) return { $buffer: original.toString('base64') }
    if (original instanceof Uint8Array) return { $buffer: Buffer.from(original).toString('base64') }
    if (original instanceof Map) return { $map: [...original.entries()] }
    return current
  })
}

/** @param {string} text @returns {unknown} */
export function decode(text) {
  return JSON.parse(text, (_key, value) => {
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      if (typeof value.$buffer === 'string' && Object.keys(value).length === 1)
        return Buffer.from(value.$buffer, 'base64')
      if (Array.isArray(value.$map) && Object.keys(value).length === 1) return new Map(value.$map)
    }
    return value
  })
}
