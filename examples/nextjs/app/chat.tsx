'use client'
// The page's client side: sign-in, a chat box, the conversation's messages live over SSE
// (EventSource resumes with Last-Event-ID by itself), and a stats panel refreshed on every notice.
import { type FormEvent, useCallback, useEffect, useState } from 'react'

interface Item {
  id: string
  data: { role: 'user' | 'assistant'; userId: string; content: string; timestamp: string }
}

interface Stats {
  chat: { total: number; unique: number }
  themes: { member: string; score: number }[]
}

const card = { background: '#fff', border: '1px solid #dde1e6', borderRadius: 8, padding: 16 } as const

export function Chat() {
  const [user, setUser] = useState<string | null | undefined>(undefined)
  const [name, setName] = useState('')
  const [conversation, setConversation] = useState('')
  const [nextConversation, setNextConversation] = useState('')
  const [messages, setMessages] = useState<Item[]>([])
  const [draft, setDraft] = useState('')
  const [preview, setPreview] = useState('')
  const [error, setError] = useState('')
  const [stats, setStats] = useState<Stats | null>(null)
  const [live, setLive] = useState('connecting')

  useEffect(() => {
    fetch('/api/session')
      .then((r) => (r.ok ? r.json() : null))
      .then((s: { userId: string } | null) => setUser(s?.userId ?? null))
  }, [])

  const refreshStats = useCallback(() => {
    fetch('/api/redis/analytics')
      .then((r) => (r.ok ? r.json() : null))
      .then((s: Stats | null) => s && setStats(s))
  }, [])

  useEffect(() => {
    if (user) setConversation(user) // each user's own conversation, named after them
  }, [user])

  useEffect(() => {
    if (!user || !conversation) return
    setMessages([])
    const chat = new EventSource(`/api/redis/realtime?channel=chat:${encodeURIComponent(conversation)}`)
    chat.onopen = () => setLive('live')
    chat.onerror = () => setLive(chat.readyState === EventSource.CLOSED ? 'refused' : 'reconnecting')
    chat.onmessage = (event) => {
      const item: Item = { id: event.lastEventId, data: JSON.parse(event.data) }
      setMessages((list) => (list.some((m) => m.id === item.id) ? list : [...list, item]))
    }
    const notices = new EventSource(`/api/redis/realtime?channel=user:${encodeURIComponent(user)}`)
    notices.addEventListener('notice', refreshStats)
    refreshStats()
    return () => {
      chat.close()
      notices.close()
    }
  }, [user, conversation, refreshStats])

  async function signIn(event: FormEvent) {
    event.preventDefault()
    const response = await fetch('/api/auth/signin', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ userId: name }),
    })
    const body = await response.json()
    if (response.ok) setUser(body.userId)
    else setError(body.error)
  }

  async function send(event: FormEvent) {
    event.preventDefault()
    setError('')
    setPreview('')
    const response = await fetch('/api/chat', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ conversationId: conversation, message: draft }),
    })
    if (!response.ok || !response.body) {
      const body = await response.json().catch(() => ({}))
      setError(`${response.status}: ${body.error ?? response.statusText}`)
      return
    }
    setDraft('')
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader()
    for (let next = await reader.read(); !next.done; next = await reader.read()) {
      const chunk = next.value
      setPreview((text) => text + chunk)
    }
  }

  if (user === undefined) return <p>Loading…</p>
  if (user === null) {
    return (
      <form onSubmit={signIn} style={card}>
        <label>
          Your name{' '}
          <input
            id="user"
            value={name}
            onChange={(e) => setName(e.target.value)}
            placeholder="alice"
            required
          />
        </label>{' '}
        <button id="sign-in" type="submit">
          Sign in
        </button>
        {error && <p role="alert">{error}</p>}
      </form>
    )
  }

  return (
    <div style={{ display: 'grid', gridTemplateColumns: '2fr 1fr', gap: 16 }}>
      <section style={card}>
        <p style={{ margin: 0 }}>
          Signed in as <strong id="whoami">{user}</strong> · conversation{' '}
          <strong id="conversation">{conversation}</strong> · <span id="live">{live}</span>
        </p>
        <ul id="messages" style={{ listStyle: 'none', padding: 0, minHeight: 120 }}>
          {messages.map((m) => (
            <li
              key={m.id}
              className={`msg ${m.data.role}`}
              data-id={m.id}
              style={{
                margin: '6px 0',
                padding: '6px 10px',
                borderRadius: 6,
                background: m.data.role === 'user' ? '#e8f0fe' : '#eef7ee',
              }}
            >
              <strong>{m.data.role === 'user' ? m.data.userId : 'assistant'}:</strong> {m.data.content}
            </li>
          ))}
        </ul>
        {preview && (
          <p id="preview" style={{ color: '#5b6570' }}>
            Streaming: {preview}
          </p>
        )}
        <form onSubmit={send} style={{ display: 'flex', gap: 8 }}>
          <input
            id="message"
            value={draft}
            onChange={(e) => setDraft(e.target.value)}
            placeholder="Ask about dreams, music, travel…"
            style={{ flex: 1 }}
            required
          />
          <button id="send" type="submit">
            Send
          </button>
        </form>
        {error && (
          <p id="error" role="alert" style={{ color: '#b3261e' }}>
            {error}
          </p>
        )}
        <form
          onSubmit={(event) => {
            event.preventDefault()
            if (nextConversation) setConversation(nextConversation)
          }}
          style={{ marginTop: 12, color: '#5b6570' }}
        >
          Open another conversation{' '}
          <input
            id="open-conversation"
            value={nextConversation}
            onChange={(e) => setNextConversation(e.target.value)}
            pattern="[A-Za-z0-9_-]{1,64}"
            size={16}
          />{' '}
          <button type="submit">Open</button>
        </form>
      </section>
      <aside style={card} id="stats">
        <h2 style={{ marginTop: 0, fontSize: 18 }}>Stats</h2>
        {stats ? (
          <>
            <p>
              Messages: <strong id="total">{stats.chat.total}</strong> · users:{' '}
              <strong id="unique">{stats.chat.unique}</strong>
            </p>
            <h3 style={{ fontSize: 15 }}>Trending themes</h3>
            <ol id="themes">
              {stats.themes.map((t) => (
                <li key={t.member}>
                  {t.member} ({t.score})
                </li>
              ))}
            </ol>
          </>
        ) : (
          <p>…</p>
        )}
      </aside>
    </div>
  )
}
