import type { Kit } from 'redis-kit'

export function getKit(): Kit
