import type { IncomingMessage } from 'node:http';
import proxyAddr from 'proxy-addr';

/** Names proxy-addr knows for whole ranges, beside IPs and CIDRs. */
const RANGE_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

export type TrustProxy = (addr: string, hop: number) => boolean;

/**
 * Checks a `TRUSTED_PROXIES` list (already split): each entry an IP, a CIDR (`10.0.0.0/8`,
 * `fd00::/8`), an IP with a netmask, or `loopback` / `linklocal` / `uniquelocal`. Returns the
 * offending entry's message, or null.
 */
export function trustedProxyProblem(entries: string[]): string | null {
  for (const e of entries) {
    if (RANGE_NAMES.has(e)) continue;
    try {
      proxyAddr.compile(e);
    } catch (err) {
      return `has an entry that is not an IP address, a CIDR range or loopback/linklocal/uniquelocal: "${e}" (${(err as Error).message})`;
    }
  }
  return null;
}

/** The trust function for proxy-addr; with no entries nothing is trusted and X-Forwarded-For is ignored. */
export function compileTrust(entries: string[]): TrustProxy {
  return entries.length ? proxyAddr.compile(entries) : () => false;
}

/**
 * The client's address: the socket's peer, or — only when that peer is a trusted proxy — the
 * nearest address in X-Forwarded-For that is not itself a trusted proxy. Reads the raw Node
 * request (socket + headers), so it works under any HTTP adapter. IPv4-mapped IPv6
 * (`::ffff:1.2.3.4`) is written as plain IPv4, so one client has one spelling.
 */
export function clientAddress(req: IncomingMessage, trust: TrustProxy): string {
  if (!req.socket?.remoteAddress) return '';
  const addr = proxyAddr(req, trust);
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(addr);
  return (mapped ? mapped[1] : addr).slice(0, 64);
}
