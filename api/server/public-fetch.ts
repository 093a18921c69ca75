import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import { Agent, fetch as undiciFetch } from 'undici';
import { isPrivateHost } from '../services/external-calendars.js';

/** The error code a refused connection carries, so the calendar's status can say why. */
export const PRIVATE_ADDRESS = 'EPRIVATEADDRESS';

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;
type Lookup = (
  hostname: string,
  options: LookupOptions & { all: true },
  callback: (error: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => void,
) => void;

/**
 * A fetch that connects only to public addresses: the connection's own name lookup refuses a host any of
 * whose addresses isPrivateHost names (a public name pointing at 127.0.0.1 or 10.x, a rebinding name), so no
 * check-then-connect gap lets the answer change in between; redirects connect through it too. What the
 * feed URL's text already says (http, a private name or literal) is refused earlier, by refusedUrl.
 * undici's own fetch and Agent: Node's global fetch takes only a dispatcher of its bundled undici.
 * `lookup` is the resolver (node:dns by default; tests give one that answers without a network).
 */
export function publicOnlyFetch(lookup: Lookup = dnsLookup as unknown as Lookup): typeof fetch {
  const agent = new Agent({
    connect: {
      lookup(hostname: string, options: LookupOptions, callback: LookupCallback) {
        lookup(hostname, { ...options, all: true }, (error, addresses) => {
          if (error) return callback(error, '', 0);
          const refused = addresses.find((a) => isPrivateHost(a.address));
          if (refused || addresses.length === 0) {
            const denied: NodeJS.ErrnoException = new Error(`${hostname} resolves to a private address`);
            denied.code = PRIVATE_ADDRESS;
            return callback(denied, '', 0);
          }
          if (options.all) return callback(null, addresses);
          callback(null, addresses[0]!.address, addresses[0]!.family);
        });
      },
    },
  });
  return ((input: string | URL, init?: RequestInit) =>
    undiciFetch(input, { ...(init as object), dispatcher: agent })) as unknown as typeof fetch;
}
