import type { ReactNode } from 'react'

export const metadata = {
  title: 'redis-kit × Next.js',
  description: 'Chat, live updates and stats on redis-kit',
}

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body
        style={{
          fontFamily: 'system-ui, sans-serif',
          margin: '0 auto',
          maxWidth: 960,
          padding: 24,
          color: '#1d232a',
          background: '#f6f7f9',
        }}
      >
        {children}
      </body>
    </html>
  )
}
