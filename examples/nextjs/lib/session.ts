// Sessions through redis-kit/sessions: the cookie holds only the session id (HttpOnly, SameSite=Lax,
// Secure on HTTPS); Redis holds the data under a hash of the id. Signing in rotates the id.
import type { Session, Sessions } from 'redis-kit'
import { getKit } from './kit.mjs'

export const COOKIE = 'sid'
const IDLE_SECONDS = 60 * 60 * 24 // the sessions' idle timeout: the kit's default, '1d'
const USER_ID = /^[A-Za-z0-9_-]{1,32}$/

export interface UserData {
  userId: string
  signedInAt: string
  [key: string]: unknown
}

/** kit.sessions, typed with this app's session data. */
function store(): Sessions<UserData> {
  return getKit().sessions as unknown as Sessions<UserData>
}

export function isUserId(value: unknown): value is string {
  return typeof value === 'string' && USER_ID.test(value)
}

function readCookie(request: Request, name: string): string | undefined {
  for (const part of (request.headers.get('cookie') ?? '').split(';')) {
    const [key, ...rest] = part.trim().split('=')
    if (key === name) return decodeURIComponent(rest.join('='))
  }
  return undefined
}

/** The signed-in session of this request, or null (no cookie, expired, rotated away, revoked). */
export async function currentSession(request: Request): Promise<Session<UserData> | null> {
  const id = readCookie(request, COOKIE)
  if (!id || id.length > 64) return null
  const session = await store().get(id)
  return session && isUserId(session.data.userId) ? session : null
}

/** Signs `userId` in: rotates the current session (fixation defence) or creates one. */
export async function signIn(request: Request, userId: string): Promise<Session<UserData>> {
  const sessions = store()
  const data: UserData = { userId, signedInAt: new Date().toISOString() }
  const id = readCookie(request, COOKIE)
  const existing = id && id.length <= 64 ? await sessions.get(id) : null
  if (existing) {
    const rotated = await sessions.rotate(existing.id, { userId, data })
    if (rotated) return rotated
  }
  return sessions.create(data, { userId })
}

export async function signOut(request: Request): Promise<void> {
  const id = readCookie(request, COOKIE)
  if (id && id.length <= 64) await store().destroy(id)
}

function isHttps(request: Request): boolean {
  const forwarded = request.headers.get('x-forwarded-proto')
  return (forwarded ?? new URL(request.url).protocol.replace(':', '')) === 'https'
}

/** The Set-Cookie value for a session id (or for clearing it). */
export function sessionCookie(request: Request, id: string | null): string {
  const attributes = ['Path=/', 'HttpOnly', 'SameSite=Lax', `Max-Age=${id ? IDLE_SECONDS : 0}`]
  if (isHttps(request)) attributes.push('Secure')
  return [`${COOKIE}=${id ? encodeURIComponent(id) : ''}`, ...attributes].join('; ')
}
