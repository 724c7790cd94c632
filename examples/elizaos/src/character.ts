/**
 * An example character that lists the plugin. With the ElizaOS CLI, plugins are package names;
 * a project passes Plugin objects instead (see README.md).
 */
import type { Character } from '@elizaos/core'

export const character: Character = {
  name: 'Ada',
  username: 'ada',
  bio: ['A helpful agent whose caches, analytics and rate limits live in Redis.'],
  system: 'Answer briefly and precisely.',
  plugins: [
    '@elizaos/plugin-sql',
    '@elizaos/plugin-openai',
    '@elizaos/plugin-bootstrap',
    'redis-kit-example-elizaos',
  ],
  settings: {
    // Read with runtime.getSetting; put REDIS_URL in the secrets when it holds a password.
    REDIS_KEY_PREFIX: 'eliza:',
    REDIS_KIT_MODEL_CACHE_TTL: '1h',
    REDIS_KIT_USER_RATE_LIMIT: '20',
    REDIS_KIT_USER_RATE_WINDOW: '1m',
    secrets: {},
  },
}

export default character
