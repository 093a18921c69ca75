import type { LookupAddress } from 'node:dns';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publicOnlyFetch } from '../../api/server/public-fetch.js';
import { startNodeServer, type RunningServer } from '../../api/server/host.js';
import { buildScenario } from '../support/scenario.js';
import { fixture, startIcsServer, type IcsServer } from '../support/ics-server.js';
import { ADMIN_KEY, API_TARGET, tempDatabasePath } from '../support/target.js';

/*
 * A teacher's calendar URL names a host; what the host resolves to decides whether the server may connect.
 * A public-looking name that points at loopback or a private network (or is made to, between a check and
 * the connection) must not let a school's admin make the server read its own network. Node only: on the
 * Worker, Cloudflare's fetch reaches no private address whatever the name.
 */

type Answer = LookupAddress[];
/** A resolver that answers from a table, as DNS would, without a network. */
const resolver =
  (table: Record<string, Answer>) =>
  (hostname: string, _options: unknown, callback: (error: NodeJS.ErrnoException | null, addresses: Answer) => void) => {
    const answer = table[hostname];
    if (answer) queueMicrotask(() => callback(null, answer));
    else queueMicrotask(() => callback(Object.assign(new Error('not found'), { code: 'ENOTFOUND' }), []));
  };

let feeds: IcsServer;
beforeAll(async () => {
  feeds = await startIcsServer();
});
afterAll(async () => {
  await feeds?.close();
});

/** The loopback feed's URL under another host name. */
const feedAt = (host: string, path: string, protocol = 'http:') => {
  const url = new URL(feeds.url(path));
  url.protocol = protocol;
  url.hostname = host;
  return url.toString();
};

describe.skipIf(API_TARGET === 'worker')('calendar feeds and the addresses behind their names', () => {
  it.each([
    ['loopback', [{ address: '127.0.0.1', family: 4 }]],
    ['IPv6 loopback', [{ address: '::1', family: 6 }]],
    ['a private network', [{ address: '10.1.2.3', family: 4 }]],
    ['link-local (cloud metadata)', [{ address: '169.254.169.254', family: 4 }]],
    [
      'one private address among public ones',
      [
        { address: '93.184.216.34', family: 4 },
        { address: '192.168.1.10', family: 4 },
      ],
    ],
  ])('refuses to connect to a public name that resolves to %s', async (_name, answer) => {
    const path = '/private.ics';
    feeds.serve(path, { body: fixture('google.ics') });
    const guarded = publicOnlyFetch(resolver({ 'feeds.school.example': answer as Answer }));
    const error = await guarded(feedAt('feeds.school.example', path)).catch((e: unknown) => e);
    expect((error as { cause?: { code?: string } }).cause?.code).toBe('EPRIVATEADDRESS');
    // Refused at the lookup: the loopback server never saw the request.
    expect(feeds.requests(path)).toHaveLength(0);
  });

  it('connects through a name that resolves to a public address', async () => {
    // 192.0.2.1 (TEST-NET-1) is public by the rules and unreachable here: the attempt is what is asserted.
    const guarded = publicOnlyFetch(resolver({ 'feeds.school.example': [{ address: '192.0.2.1', family: 4 }] }));
    const error = await guarded(feedAt('feeds.school.example', '/public.ics'), {
      signal: AbortSignal.timeout(500),
    }).catch((e: unknown) => e);
    expect((error as { cause?: { code?: string } }).cause?.code).not.toBe('EPRIVATEADDRESS');
  });

  describe('on a server that fetches public feeds only', () => {
    let server: RunningServer;
    const db = tempDatabasePath('smart-pack-calendar-addresses-');
    beforeAll(async () => {
      server = await startNodeServer({
        databasePath: db.path,
        port: 0,
        adminApiKey: 'test-admin-key',
        now: '2027-03-01T06:00:00.000Z',
        calendars: {
          allowPrivateUrls: false,
          timeoutMs: 1_000,
          fetch: publicOnlyFetch(resolver({ 'calendar.school.example': [{ address: '127.0.0.1', family: 4 }] })),
        },
      });
    });
    afterAll(async () => {
      await server?.close();
      db.cleanup();
    });

    it('adds the calendar as failing and says its host resolves to a private address', async () => {
      const path = '/rebound.ics';
      feeds.serve(path, { body: fixture('google.ics') });
      const s = await buildScenario({
        url: server.url,
        adminKey: ADMIN_KEY,
        databasePath: db.path,
        close: server.close,
      });
      const added = await s.admin.post(`/admin/teachers/${s.teacherId}/calendars`, {
        url: feedAt('calendar.school.example', path, 'https:'),
      });
      expect(added.status).toBe(201);
      expect(added.body).toMatchObject({
        status: 'failing',
        busyCount: 0,
        lastError: 'The calendar URL’s host resolves to a private address.',
      });
      expect(feeds.requests(path)).toHaveLength(0);
    });
  });
});
