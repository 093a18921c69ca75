import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../../api/db/migrate-node.js';
import { openNodeStore } from '../../api/db/node.js';
import { deliverDue, verifySignature } from '../../api/services/outbox.js';

/*
 * The webhook receiver that docs/lifecycle.md tells partners to copy, run as written: the code
 * block between `<!-- webhook-receiver:start -->` and `<!-- webhook-receiver:end -->` is written
 * to a file and imported, then fed deliveries made by the real outbox (`deliverDue`) and forged
 * or damaged ones. No API target is needed, so it runs the same on both suites.
 */

const SECRET = 'whsec-docs-snippet';
const DOC = new URL('../../docs/lifecycle.md', import.meta.url);
const T0 = new Date('2026-11-30T06:00:00.000Z');

interface Event {
  id: number;
  type: string;
  attempt: number;
  data: Record<string, unknown>;
}
interface Snippet {
  verifyWebhook(secret: string, signature: unknown, rawBody: unknown, now?: number): boolean;
  receiveWebhook(options: {
    secret: string;
    headers: Record<string, string | undefined>;
    rawBody: string | Buffer;
    processed: Set<number>;
    handle: (event: Event) => unknown;
    now?: number;
  }): Promise<number>;
}
interface Delivery {
  headers: Record<string, string>;
  body: string;
  sentAt: Date;
}

function snippetSource(): string {
  const doc = readFileSync(DOC, 'utf8');
  const section = /<!-- webhook-receiver:start -->([\s\S]*?)<!-- webhook-receiver:end -->/.exec(doc)?.[1];
  if (!section) throw new Error('docs/lifecycle.md has no <!-- webhook-receiver:start/end --> section');
  const code = /```js\n([\s\S]*?)```/.exec(section)?.[1];
  if (!code) throw new Error('the webhook-receiver section has no ```js block');
  return code;
}

/** Two events, each sent twice by the real outbox: the first attempt is answered 503, the retry 200. */
async function realDeliveries(): Promise<Delivery[]> {
  const dir = mkdtempSync(join(tmpdir(), 'smart-pack-webhook-snippet-'));
  const store = openNodeStore(join(dir, 'outbox.db'));
  try {
    migrate(store.sqlite);
    const insert = store.sqlite.prepare(
      'INSERT INTO notifications (event_type, package_id, payload, created_at, next_attempt_at) VALUES (?, ?, ?, ?, ?)',
    );
    insert.run(
      'session.rescheduled',
      'pkg-1',
      JSON.stringify({ packageId: 'pkg-1', rescheduleCount: 1 }),
      T0.toISOString(),
      T0.toISOString(),
    );
    insert.run(
      'session.booked',
      'pkg-2',
      JSON.stringify({ packageId: 'pkg-2', floatingSessionsLeft: 1 }),
      T0.toISOString(),
      T0.toISOString(),
    );
    const sent: Delivery[] = [];
    const sweep = async (now: Date, status: number) =>
      deliverDue(store, {
        now,
        webhookUrl: 'http://127.0.0.1:9/hooks',
        secret: SECRET,
        leaseMs: 1_000,
        fetch: (async (_url: string, init: RequestInit) => {
          sent.push({ headers: init.headers as Record<string, string>, body: String(init.body), sentAt: now });
          return new Response(null, { status });
        }) as typeof fetch,
      });
    expect((await sweep(T0, 503)).failed).toHaveLength(2);
    expect((await sweep(new Date(T0.getTime() + 10 * 60_000), 200)).delivered).toBe(2);
    return sent;
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

let snippet: Snippet;
let deliveries: Delivery[];
let scratch: string;

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'smart-pack-webhook-snippet-'));
  const file = join(scratch, 'receiver.mjs');
  writeFileSync(file, snippetSource());
  snippet = (await import(/* @vite-ignore */ pathToFileURL(file).href)) as Snippet;
  deliveries = await realDeliveries();
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Sets `v1` (or removes it with null) in a signature header, keeping `t`. */
function withV1(signature: string, v1: string | null): string {
  const t = /t=(\d+)/.exec(signature)![1];
  return v1 === null ? `t=${t}` : `t=${t},v1=${v1}`;
}

describe('docs/lifecycle.md webhook receiver', () => {
  describe('verifyWebhook', () => {
    it('accepts what the outbox signs, as verifySignature does', async () => {
      const [first] = deliveries;
      const signature = first!.headers['x-smartpack-signature']!;
      expect(snippet.verifyWebhook(SECRET, signature, first!.body, first!.sentAt.getTime())).toBe(true);
      expect(await verifySignature(SECRET, signature, first!.body, { now: first!.sentAt })).toBe(true);
    });

    it('refuses damaged, forged and stale signatures with false, never a throw, like verifySignature', async () => {
      const { headers, body, sentAt } = deliveries[0]!;
      const signature = headers['x-smartpack-signature']!;
      const now = sentAt.getTime();
      const v1 = /v1=([0-9a-f]+)/.exec(signature)![1]!;
      const cases: [string, unknown, unknown, number][] = [
        ['tampered body', signature, body.replace('"rescheduleCount":1', '"rescheduleCount":0'), now],
        [
          'wrong secret',
          signature.replace(
            v1,
            v1.replace(/^./, (c) => (c === '0' ? '1' : '0')),
          ),
          body,
          now,
        ],
        ['missing v1', withV1(signature, null), body, now],
        ['empty v1', withV1(signature, ''), body, now],
        ['short v1', withV1(signature, v1.slice(0, 10)), body, now],
        ['odd-length v1', withV1(signature, v1.slice(0, 63)), body, now],
        ['non-hex v1 of the right length', withV1(signature, 'z'.repeat(64)), body, now],
        ['too long v1', withV1(signature, `${v1}00`), body, now],
        ['missing timestamp', `v1=${v1}`, body, now],
        ['non-numeric timestamp', signature.replace(/t=\d+/, 't=soon'), body, now],
        ['timestamp 10 minutes old', signature, body, now + 10 * 60_000],
        ['timestamp 10 minutes ahead', signature, body, now - 10 * 60_000],
        ['no header at all', undefined, body, now],
        ['garbage header', '===,,,=', body, now],
        ['no body', signature, undefined, now],
      ];
      for (const [name, header, rawBody, at] of cases) {
        let verdict: unknown;
        expect(() => (verdict = snippet.verifyWebhook(SECRET, header, rawBody, at)), name).not.toThrow();
        expect(verdict, name).toBe(false);
        if (typeof header === 'string' && typeof rawBody === 'string') {
          expect(await verifySignature(SECRET, header, rawBody, { now: new Date(at) }), name).toBe(false);
        }
      }
    });

    it('accepts the raw body as bytes', () => {
      const { headers, body, sentAt } = deliveries[0]!;
      expect(snippet.verifyWebhook(SECRET, headers['x-smartpack-signature'], Buffer.from(body), sentAt.getTime())).toBe(
        true,
      );
    });
  });

  describe('receiveWebhook', () => {
    function receiver() {
      const processed = new Set<number>();
      const handled: Event[] = [];
      const receive = (delivery: Delivery, changes: { headers?: Record<string, string>; body?: string } = {}) =>
        snippet.receiveWebhook({
          secret: SECRET,
          headers: changes.headers ?? delivery.headers,
          rawBody: changes.body ?? delivery.body,
          processed,
          handle: (event) => void handled.push(event),
          now: delivery.sentAt.getTime(),
        });
      return { receive, handled };
    }

    it('handles each event once although the outbox sends it again with a new attempt and signature', async () => {
      const { receive, handled } = receiver();
      const [a1, b1, a2, b2] = deliveries;
      expect(JSON.parse(a2!.body).attempt).toBe(2);
      expect(a2!.headers['x-smartpack-signature']).not.toBe(a1!.headers['x-smartpack-signature']);
      // A duplicate is answered 2xx too, or the outbox would retry it forever.
      expect([await receive(a1!), await receive(b1!), await receive(a2!), await receive(b2!)]).toEqual([
        200, 200, 200, 200,
      ]);
      expect(handled.map((event) => [event.type, event.attempt])).toEqual([
        ['session.rescheduled', 1],
        ['session.booked', 1],
      ]);
    });

    it('dedupes on the signed body id, not on the unsigned X-SmartPack-Delivery header', async () => {
      const { receive, handled } = receiver();
      const [a1, b1, a2] = deliveries;
      expect(await receive(a1!)).toBe(200);
      // The same event with its delivery header changed is still the same event ...
      expect(await receive(a2!, { headers: { ...a2!.headers, 'x-smartpack-delivery': '999' } })).toBe(200);
      // ... and another event sent under the first one's delivery header is still handled.
      expect(
        await receive(b1!, {
          headers: { ...b1!.headers, 'x-smartpack-delivery': a1!.headers['x-smartpack-delivery']! },
        }),
      ).toBe(200);
      expect(handled.map((event) => event.id)).toEqual([JSON.parse(a1!.body).id, JSON.parse(b1!.body).id]);
    });

    it('answers 401 to a tampered body, a bad or missing v1 and a stale timestamp, and handles nothing', async () => {
      const { receive, handled } = receiver();
      const a1 = deliveries[0]!;
      const signature = a1.headers['x-smartpack-signature']!;
      const refused = [
        await receive(a1, { body: a1.body.replace('pkg-1', 'pkg-X') }),
        await receive(a1, { headers: { ...a1.headers, 'x-smartpack-signature': withV1(signature, null) } }),
        await receive(a1, { headers: { ...a1.headers, 'x-smartpack-signature': withV1(signature, 'abc') } }),
        await receive(a1, { headers: { ...a1.headers, 'x-smartpack-signature': withV1(signature, 'g'.repeat(64)) } }),
        await receive(a1, { headers: { 'content-type': 'application/json' } }),
        await snippet.receiveWebhook({
          secret: SECRET,
          headers: a1.headers,
          rawBody: a1.body,
          processed: new Set(),
          handle: () => void handled.push(JSON.parse(a1.body)),
          now: a1.sentAt.getTime() + 60 * 60_000,
        }),
      ];
      expect(refused).toEqual([401, 401, 401, 401, 401, 401]);
      expect(handled).toEqual([]);
      // None of these marked the event as seen: the genuine delivery is still handled.
      expect(await receive(a1)).toBe(200);
      expect(handled).toHaveLength(1);
    });

    it('answers 5xx when its handler fails, so the retry is handled rather than dropped as a duplicate', async () => {
      const processed = new Set<number>();
      const [a1, , a2] = deliveries;
      let calls = 0;
      const errors: unknown[] = [];
      const original = console.error;
      console.error = (...args: unknown[]) => void errors.push(args);
      try {
        const receive = (delivery: Delivery) =>
          snippet.receiveWebhook({
            secret: SECRET,
            headers: delivery.headers,
            rawBody: delivery.body,
            processed,
            handle: () => {
              if (++calls === 1) throw new Error('database down');
            },
            now: delivery.sentAt.getTime(),
          });
        expect(await receive(a1!)).toBeGreaterThanOrEqual(500);
        expect(await receive(a2!)).toBe(200);
        expect(calls).toBe(2);
      } finally {
        console.error = original;
      }
    });
  });
});
