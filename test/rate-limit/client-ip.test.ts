/**
 * clientIdentifier: X-Forwarded-For read from the right, trusting only the proxies named; a
 * client-chosen value is never the answer.
 */
import { describe, expect, it } from 'vitest'
import { clientIdentifier } from '../../src/rate-limit/index.js'

const fetchRequest = (xff?: string) =>
  new Request('https://example.com/', xff === undefined ? {} : { headers: { 'x-forwarded-for': xff } })

describe('clientIdentifier', () => {
  it('trusts nobody by default: the socket address, whatever the header says', () => {
    const req = { headers: { 'x-forwarded-for': '1.1.1.1' }, socket: { remoteAddress: '203.0.113.7' } }
    expect(clientIdentifier(req)).toBe('203.0.113.7')
    expect(clientIdentifier(fetchRequest('1.1.1.1'))).toBeUndefined() // no socket, no trust: unknown
  })

  it('one trusted hop (a load balancer): the address it saw, not what the client wrote', () => {
    const req = fetchRequest('6.6.6.6, 198.51.100.2') // client wrote 6.6.6.6; the proxy appended the rest
    expect(clientIdentifier(req, { trustedProxies: 1 })).toBe('198.51.100.2')
    expect(clientIdentifier(req, { trustedProxies: 2 })).toBe('6.6.6.6') // what 2 hops would mean
  })

  it('spoofing with many entries changes nothing (read right to left)', () => {
    const spoofed = {
      headers: { 'x-forwarded-for': '10.0.0.1, 127.0.0.1, 1.2.3.4, 198.51.100.2' },
      socket: { remoteAddress: '10.0.0.9' },
    }
    expect(clientIdentifier(spoofed, { trustedProxies: ['10.0.0.0/8'] })).toBe('198.51.100.2')
    expect(clientIdentifier(spoofed, { trustedProxies: 1 })).toBe('198.51.100.2')
  })

  it('a direct client with a forged header, in front of a trusted-proxy setup: the socket', () => {
    const direct = { headers: { 'x-forwarded-for': '10.0.0.5' }, socket: { remoteAddress: '203.0.113.50' } }
    expect(clientIdentifier(direct, { trustedProxies: ['private'] })).toBe('203.0.113.50')
    // hop count larger than the chain: the request skipped the proxies; the socket is all we know
    const short = { headers: { 'x-forwarded-for': '6.6.6.6' }, socket: { remoteAddress: '203.0.113.50' } }
    expect(clientIdentifier(short, { trustedProxies: 3 })).toBe('203.0.113.50')
  })

  it('a chain of trusted proxies (CIDRs and presets) is walked to the first untrusted hop', () => {
    const req = {
      headers: { 'x-forwarded-for': '6.6.6.6, 198.51.100.2, 172.16.4.4, 10.1.1.1' },
      socket: { remoteAddress: '::ffff:127.0.0.1' },
    }
    expect(clientIdentifier(req, { trustedProxies: ['loopback', 'private'] })).toBe('198.51.100.2')
    expect(clientIdentifier(req, { trustedProxies: ['loopback'] })).toBe('10.1.1.1')
  })

  it('garbage passed on by a trusted proxy yields no identifier rather than a chosen one', () => {
    const req = { headers: { 'x-forwarded-for': 'not-an-ip, evil' }, socket: { remoteAddress: '10.0.0.2' } }
    expect(clientIdentifier(req, { trustedProxies: ['private'] })).toBeUndefined()
    expect(clientIdentifier(req, { trustedProxies: 1 })).toBeUndefined()
  })

  it('ports, brackets and mapped IPv4 are normalised; IPv6 is grouped by /64 unless told', () => {
    expect(clientIdentifier(fetchRequest('198.51.100.2:5123'), { trustedProxies: 1 })).toBe('198.51.100.2')
    const v6 = fetchRequest('[2001:db8:abcd:12:1:2:3:4]:443')
    expect(clientIdentifier(v6, { trustedProxies: 1 })).toBe('2001:db8:abcd:12::/64')
    expect(clientIdentifier(v6, { trustedProxies: 1, ipv6Subnet: 56 })).toBe('2001:db8:abcd:0::/56')
    expect(clientIdentifier(v6, { trustedProxies: 1, ipv6Subnet: false })).toBe('2001:db8:abcd:12:1:2:3:4')
    expect(clientIdentifier(fetchRequest('2001:db8::1'), { trustedProxies: 1 })).toBe('2001:db8:0:0::/64')
  })

  it('an explicit remoteAddress wins over request.socket; Node header arrays are joined', () => {
    const req = {
      headers: { 'x-forwarded-for': ['6.6.6.6', '198.51.100.2'] },
      socket: { remoteAddress: '203.0.113.1' },
    }
    expect(clientIdentifier(req, { remoteAddress: '10.0.0.1', trustedProxies: ['private'] })).toBe(
      '198.51.100.2',
    )
  })

  it('bad options name the fix', () => {
    expect(() => clientIdentifier(fetchRequest(), { trustedProxies: ['10.0.0.0/33'] })).toThrow(/CIDR/)
    expect(() => clientIdentifier(fetchRequest(), { trustedProxies: -1 })).toThrow(/hops/)
    expect(() => clientIdentifier(fetchRequest(), { ipv6Subnet: 0 })).toThrow(/prefix length/)
    expect(() => clientIdentifier(null as never)).toThrow(/request/)
  })
})
