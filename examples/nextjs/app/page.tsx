import { Chat } from './chat'

export default function Home() {
  return (
    <main>
      <h1 style={{ marginTop: 0 }}>redis-kit × Next.js</h1>
      <p style={{ color: '#5b6570' }}>
        Sessions, a rate-limited chat answered through the LLM cache, live updates over SSE (resumable), and
        analytics — one kit per server process.
      </p>
      <Chat />
    </main>
  )
}
