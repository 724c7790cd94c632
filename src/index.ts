/**
 * @module redis-kit
 * createKit and every public name. Importing this module connects nothing and starts no timer.
 */

export { ERROR_CODES, type ErrorCode, isKitError, RedisKitError } from './errors.js'
export { evictionWarning } from './health.js'
export type { Duration } from './internal/duration.js'
export { configFromEnv, type EnvConfig } from './internal/env.js'
export { escapeGlob } from './internal/keys.js'
export { createKit, type Kit, type KitEvents, type KitHealth, type KitOptions, type KitStats } from './kit.js'
export * from './stores/index.js'
