/**
 * Agent analytics from runtime events — messages received (count, unique users, trending topics),
 * actions completed (per action and status), models used (per model and provider, tokens) — and a
 * per-user message rate limit for an action's `validate`.
 */
import {
  type Action,
  type ActionEventPayload,
  EventType,
  type IAgentRuntime,
  type Memory,
  type MessagePayload,
  type ModelEventPayload,
  type PluginEvents,
} from '@elizaos/core'
import type { EventStats, RateLimitResult, ScoredMember } from 'redis-kit'
import type { BreakdownEntry } from 'redis-kit/analytics'
import { getRedisKit, LOG_SOURCE } from './service.js'

export const EVENTS = {
  message: 'message_received',
  action: 'action_completed',
  model: 'model_used',
  modelCache: 'model_cache',
} as const

const TOPICS_KEY = 'topics'
const tokensKey = (prefix: string) => `${prefix}agent-analytics:tokens`

const STOP_WORDS = new Set(
  'about above after again against also because been before being below between both could does doing down during each from further have having here hers herself himself into itself just more most myself never once only other ought ours ourselves over same shall should some such than that their theirs them themselves then there these they this those through under until very were what when where which while whom with would your yours yourself yourselves please thanks thank hello'.split(
    ' ',
  ),
)

/** Topics of a message: its hashtags, then its longer words (not stop words); at most 5. */
export function topicsOf(text: string): string[] {
  const lower = text.toLowerCase()
  const hashtags = [...lower.matchAll(/#([\p{L}\p{N}_]{2,40})/gu)].map((m) => m[1] as string)
  const words = (lower.replace(/#[\p{L}\p{N}_]+/gu, ' ').match(/\p{L}[\p{L}\p{N}]{4,39}/gu) ?? []).filter(
    (word) => !STOP_WORDS.has(word),
  )
  return [...new Set([...hashtags, ...words])].slice(0, 5)
}

async function guarded(runtime: IAgentRuntime, what: string, work: () => Promise<unknown>): Promise<void> {
  try {
    await work()
  } catch (error) {
    // An analytics failure never breaks message handling; it is logged, not thrown.
    runtime.logger.warn(
      { src: LOG_SOURCE, event: what, error: String(error) },
      'analytics event not recorded',
    )
  }
}

async function onMessageReceived(payload: MessagePayload): Promise<void> {
  const { runtime, message } = payload
  const service = getRedisKit(runtime)
  if (!service || !message || message.entityId === runtime.agentId) return
  const source = String(message.content?.source ?? payload.source ?? 'unknown')
  await guarded(runtime, EventType.MESSAGE_RECEIVED, () =>
    Promise.all([
      service.kit.analytics.trackEvent(EVENTS.message, message.entityId, { source }),
      ...topicsOf(message.content?.text ?? '').map((topic) =>
        service.kit.sortedSets.decaying.bump(TOPICS_KEY, topic),
      ),
    ]),
  )
}

async function onActionCompleted(payload: ActionEventPayload): Promise<void> {
  const { runtime, content } = payload
  const service = getRedisKit(runtime)
  if (!service) return
  const action = String(content?.actions?.[0] ?? 'unknown')
  const status = String((content as { actionStatus?: unknown } | undefined)?.actionStatus ?? 'completed')
  await guarded(runtime, EventType.ACTION_COMPLETED, () =>
    service.kit.analytics.trackEvent(EVENTS.action, null, { action, status }),
  )
}

async function onModelUsed(payload: ModelEventPayload): Promise<void> {
  const { runtime } = payload
  const service = getRedisKit(runtime)
  if (!service) return
  const model = String(payload.type)
  const { kit } = service
  await guarded(runtime, EventType.MODEL_USED, () =>
    Promise.all([
      kit.analytics.trackEvent(EVENTS.model, null, {
        model,
        provider: String(payload.provider ?? 'unknown'),
      }),
      payload.tokens?.total
        ? kit.store.hincrby(tokensKey(kit.prefix), model, payload.tokens.total)
        : undefined,
    ]),
  )
}

/** The plugin's event handlers. */
export const analyticsEvents: PluginEvents = {
  [EventType.MESSAGE_RECEIVED]: [onMessageReceived],
  [EventType.ACTION_COMPLETED]: [onActionCompleted],
  [EventType.MODEL_USED]: [onModelUsed],
}

export interface AgentAnalytics {
  messages: EventStats
  /** Distinct users who sent messages over `days` (an estimate, ±0.81%). */
  activeUsers: number
  actions: BreakdownEntry[]
  actionStatus: BreakdownEntry[]
  models: BreakdownEntry[]
  /** Tokens reported by model plugins (MODEL_USED), per model type. */
  tokens: Record<string, number>
  /** Model-cache answers: hits and misses, counted in every process. */
  modelCache: { hits: number; misses: number }
  /** Hottest topics now (exponential decay, half-life 6 h). */
  trendingTopics: ScoredMember[]
}

/** The agent's analytics over the last `days` days (default 7). */
export async function getAgentAnalytics(
  runtime: IAgentRuntime,
  options: { days?: number; topics?: number } = {},
): Promise<AgentAnalytics> {
  const service = getRedisKit(runtime)
  if (!service) throw new Error('redis-kit service is not running on this runtime')
  const { analytics, sortedSets, store, prefix } = service.kit
  const days = options.days ?? 7
  const [messages, active, actions, actionStatus, models, cache, tokens, trendingTopics] = await Promise.all([
    analytics.getStats(EVENTS.message, { days }),
    analytics.activeUsers(EVENTS.message, { days }),
    analytics.getBreakdown(EVENTS.action, 'action', { days }),
    analytics.getBreakdown(EVENTS.action, 'status', { days }),
    analytics.getBreakdown(EVENTS.model, 'model', { days }),
    analytics.getBreakdown(EVENTS.modelCache, 'status', { days }),
    store.hgetall(tokensKey(prefix)),
    sortedSets.decaying.top(TOPICS_KEY, options.topics ?? 10),
  ])
  const count = (value: string) => cache.find((entry) => entry.value === value)?.count ?? 0
  return {
    messages,
    activeUsers: active.value,
    actions,
    actionStatus,
    models,
    tokens: Object.fromEntries(Object.entries(tokens).map(([model, n]) => [model, Number(n)])),
    modelCache: { hits: count('hit'), misses: count('miss') },
    trendingTopics,
  }
}

const decisions = new Map<string, Promise<RateLimitResult | undefined>>()
const REMEMBERED_DECISIONS = 1000

/**
 * Charges one message of `message.entityId` to the per-user limit — once per message id, however
 * many times the runtime validates actions for it. Undefined when the service is not running.
 */
export function checkUserRate(runtime: IAgentRuntime, message: Memory): Promise<RateLimitResult | undefined> {
  const service = getRedisKit(runtime)
  if (!service) return Promise.resolve(undefined)
  const key = `${runtime.agentId}:${message.id ?? `${message.entityId}:${message.createdAt ?? Date.now()}`}`
  let decision = decisions.get(key)
  if (!decision) {
    decision = service.userLimiter.check(message.entityId)
    decisions.set(key, decision)
    if (decisions.size > REMEMBERED_DECISIONS) decisions.delete(decisions.keys().next().value as string)
  }
  return decision
}

/** `action` whose validate also requires the sender to be within the per-user message limit. */
export function withUserRateLimit<A extends Action>(action: A): A {
  return {
    ...action,
    async validate(runtime, message, state) {
      const decision = await checkUserRate(runtime, message)
      if (decision && !decision.allowed) {
        runtime.logger.debug(
          {
            src: LOG_SOURCE,
            action: action.name,
            entityId: message.entityId,
            retryAfter: decision.retryAfter,
          },
          'rate limited',
        )
        return false
      }
      return action.validate(runtime, message, state)
    },
  }
}
