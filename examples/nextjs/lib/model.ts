// A deterministic fake chat model (no network): it streams its answer word by word, slowly, like
// a real one, and counts its calls so the tests can prove that the LLM cache answered instead.
import { createHash } from 'node:crypto'

export interface ChatRequest {
  model: string
  messages: { role: 'system' | 'user' | 'assistant'; content: string }[]
  temperature: number
}

const CALLS = Symbol.for('redis-kit.example.nextjs.modelCalls')
const counter = globalThis as unknown as Record<symbol, number | undefined>

/** How many times the fake model ran in this server process. */
export function modelCalls(): number {
  return counter[CALLS] ?? 0
}

const OPENERS = ['Good question.', 'Let me think.', 'Here is a thought.', 'Interesting.']

/** The fake model: the same request always gives the same chunks. */
export async function* fakeModel(request: ChatRequest, onCall?: () => void): AsyncGenerator<string> {
  counter[CALLS] = modelCalls() + 1
  onCall?.()
  const question = request.messages.at(-1)?.content ?? ''
  const digest = createHash('sha256').update(question).digest()
  const words = [
    OPENERS[digest[0]! % OPENERS.length]!,
    'You',
    'asked',
    `"${question.slice(0, 80)}".`,
    `My`,
    `answer`,
    `is`,
    `#${digest.subarray(1, 4).toString('hex')}.`,
  ]
  for (const [i, word] of words.entries()) {
    await new Promise((resolve) => setTimeout(resolve, 15))
    yield i === 0 ? word : ` ${word}`
  }
}

export const SYSTEM_PROMPT = 'You are a helpful, deterministic demo assistant.'

export function chatRequest(question: string): ChatRequest {
  return {
    model: 'fake-1',
    temperature: 0,
    messages: [
      { role: 'system', content: SYSTEM_PROMPT },
      { role: 'user', content: question },
    ],
  }
}
