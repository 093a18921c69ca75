import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CreatedTenant } from '../../api/contract/wire.js';
import { buildScenario, type Scenario } from '../support/scenario.js';
import { API_TARGET, startTarget, type ApiTarget } from '../support/target.js';
import { createTenant } from '../support/tenants.js';
import { meaning, rawRequest } from '../support/raw-http.js';

/*
 * The grid's read path (api/routes/fast-grid.ts) answers a plain public GET without the middleware stack.
 * A percent-escape in the query sends the same request down the ordinary route (the validated query, and so
 * the tag, are the same), so each request here is made both ways and the two answers must be the same:
 * status, every header a client or a cache reads, and the bytes once decoded.
 */

const NOW = '2026-11-30T06:00:00.000Z';
const ALLOWED_ORIGIN = 'https://school.example';

let target: ApiTarget;
let tenant: CreatedTenant;
let s: Scenario;
beforeAll(async () => {
  target = await startTarget({ now: NOW, seed: true });
  tenant = await createTenant(target, { allowedOrigins: [ALLOWED_ORIGIN] });
  s = await buildScenario(target, { keys: tenant });
}, 120_000);
afterAll(async () => {
  await target?.close();
});

/** A GET with exactly these headers. */
const rawGet = (path: string, headers: Record<string, string>) => rawRequest(`${target.url}${path}`, { headers });

/** `?weeks=4…` as the fast path takes it, and with the 4 escaped as the ordinary route alone takes it. */
const gridPath = (teacherId: string, extra = '') => ({
  plain: `/marketplace/teachers/${teacherId}/weekly-availability?weeks=4${extra}`,
  escaped: `/marketplace/teachers/${teacherId}/weekly-availability?weeks=%34${extra}`,
});

async function bothWays(paths: { plain: string; escaped: string }, headers: Record<string, string>) {
  const plain = await rawGet(paths.plain, headers);
  const escaped = await rawGet(paths.escaped, headers);
  return { plain, escaped };
}

describe('the weekly grid’s read path', () => {
  const key = () => ({ 'x-publishable-key': tenant.publishableKey });
  type Case = () => { path: { plain: string; escaped: string }; headers: Record<string, string> };
  const cases: [string, number, Case][] = [
    ['a read with the key header', 200, () => ({ path: gridPath(s.teacherId), headers: key() })],
    ['a gzip read', 200, () => ({ path: gridPath(s.teacherId), headers: { ...key(), 'accept-encoding': 'gzip, br' } })],
    [
      'a read with the key in the query',
      200,
      () => ({ path: gridPath(s.teacherId, `&key=${tenant.publishableKey}`), headers: {} }),
    ],
    [
      'a read from the tenant’s own origin',
      200,
      () => ({ path: gridPath(s.teacherId), headers: { ...key(), origin: ALLOWED_ORIGIN } }),
    ],
    [
      'a read from an origin the tenant does not allow',
      200,
      () => ({ path: gridPath(s.teacherId), headers: { ...key(), origin: 'https://elsewhere.example' } }),
    ],
    ['a read with the tier', 200, () => ({ path: gridPath(s.teacherId, `&tierId=${s.tierId}`), headers: key() })],
    [
      'a first screen’s read (tiers and zone names)',
      200,
      () => ({
        path: gridPath(s.teacherId, '&include=tiers&lang=ar&viewerTimeZone=Asia/Tokyo'),
        headers: { ...key(), 'accept-encoding': 'gzip' },
      }),
    ],
    ['an unknown language', 400, () => ({ path: gridPath(s.teacherId, '&lang=en-a'), headers: key() })],
    ['a read in the default tenant, with no key', 200, () => ({ path: gridPath('teacher-amna'), headers: {} })],
    ['an unknown key', 401, () => ({ path: gridPath(s.teacherId), headers: { 'x-publishable-key': 'pk_live_nope' } })],
    ['an unknown teacher', 404, () => ({ path: gridPath('nobody'), headers: key() })],
    ['another tenant’s teacher', 404, () => ({ path: gridPath('teacher-amna'), headers: key() })],
    ['an unknown tier', 404, () => ({ path: gridPath(s.teacherId, '&tierId=nope'), headers: key() })],
    ['an invalid query', 400, () => ({ path: gridPath(s.teacherId, '&duration=5'), headers: key() })],
    ['an unknown parameter', 400, () => ({ path: gridPath(s.teacherId, '&colour=red'), headers: key() })],
  ];

  it.each(cases)('answers %s (%i) as the ordinary route does', async (_name, status, make) => {
    const { path, headers } = make();
    const { plain, escaped } = await bothWays(path, headers);
    expect(plain.status).toBe(status);
    expect(meaning(plain)).toEqual(meaning(escaped));
  });

  it('answers any mix of parameters, orders and headers as the ordinary route does', async () => {
    // `weeks` is always sent; its value escaped (each character as %XX) takes the ordinary route.
    const escapeAll = (value: string) =>
      [...value].map((ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`).join('');
    // Mostly what a page sends (so many cases are answered 200 or 304 by the read path), now and then not:
    // `often` leaves a parameter out a third of the time, `rarely` four times in five; `mostly` picks the
    // usual values six times in seven.
    const often = <T>(values: fc.Arbitrary<T>) => fc.option(values, { nil: undefined, freq: 3 });
    const rarely = <T>(...values: T[]) =>
      fc.oneof({ arbitrary: fc.constant(undefined), weight: 4 }, { arbitrary: fc.constantFrom(...values), weight: 1 });
    const mostly = <T>(usual: T[], unusual: T[]) =>
      fc.oneof(
        { arbitrary: fc.constantFrom(...usual), weight: 6 },
        { arbitrary: fc.constantFrom(...unusual), weight: 1 },
      );
    const key = tenant.publishableKey;
    const statuses: number[] = [];
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          weeks: mostly(['1', '4', '8', '26', '08'], ['27', 'x']),
          subjectId: often(mostly([s.subjectId], ['nope'])),
          tierId: often(mostly([s.tierId], ['nope'])),
          duration: rarely('15', '60', '240', '5', '241'),
          key: fc.option(mostly([key], ['pk_live_nope']), { nil: undefined, freq: 6 }),
          extra: rarely('colour=red', 'weeks=4', 'a', ''),
        }),
        fc.boolean(),
        rarely(key, 'pk_live_nope'),
        often(fc.constantFrom(ALLOWED_ORIGIN, 'https://elsewhere.example')),
        often(fc.constantFrom('gzip', 'identity')),
        fc.boolean(),
        async ({ weeks, extra, ...named }, reversed, headerKey, origin, encoding, revalidate) => {
          const parts = (escaped: boolean) => {
            const list = [`weeks=${escaped ? escapeAll(weeks) : weeks}`];
            for (const [name, value] of Object.entries(named)) if (value !== undefined) list.push(`${name}=${value}`);
            if (extra !== undefined) list.push(extra);
            return (reversed ? list.reverse() : list).join('&');
          };
          const headers: Record<string, string> = {};
          if (headerKey) headers['x-publishable-key'] = headerKey;
          if (origin) headers.origin = origin;
          if (encoding) headers['accept-encoding'] = encoding;
          const path = `/marketplace/teachers/${s.teacherId}/weekly-availability?`;
          if (revalidate) {
            // The tag of this very read, sent back as a cache holding it would.
            const tag = (await rawGet(path + parts(false), headers)).headers.etag;
            if (tag) headers['if-none-match'] = tag;
          }
          const plain = await rawGet(path + parts(false), headers);
          const ordinary = await rawGet(path + parts(true), headers);
          statuses.push(plain.status);
          expect(meaning(plain)).toEqual(meaning(ordinary));
        },
      ),
      { numRuns: 100 },
    );
    // The property is about the read path, so a fair share of cases must have been its to answer: about 30 of
    // the 100 are (22–37 over runs); 12 is four standard deviations below, so the seed never fails it.
    expect(statuses.filter((status) => status === 200 || status === 304).length).toBeGreaterThanOrEqual(12);
  });

  it.each([
    ['identity', 'identity'],
    ['gzip', 'gzip'],
  ])('revalidates a %s copy alike: 304 with the same headers, no body', async (_name, encoding) => {
    const headers = { ...key(), 'accept-encoding': encoding };
    const first = await rawGet(gridPath(s.teacherId).plain, headers);
    expect(first.status).toBe(200);
    const tag = first.headers.etag!;
    // On the Worker the runtime encodes (and names) the bytes itself: the app's tag stays the identity one.
    expect(tag).toMatch(encoding === 'gzip' && API_TARGET === 'node' ? /^"[0-9a-f]{16}-gzip"$/ : /^"[0-9a-f]{16}"$/);
    const { plain, escaped } = await bothWays(gridPath(s.teacherId), { ...headers, 'if-none-match': tag });
    expect(plain.status).toBe(304);
    expect(plain.sent).toBe(0);
    expect(meaning(plain)).toEqual(meaning(escaped));
  });

  // On the Worker the runtime compresses; the app never does.
  it.skipIf(API_TARGET === 'worker')('serves a gzipped grid as fixed-length bytes it compressed once', async () => {
    // The ordinary route streams its gzip (chunked); the read path sends the bytes it remembers for the tag.
    const headers = { ...key(), 'accept-encoding': 'gzip' };
    const first = await rawGet(gridPath(s.teacherId).plain, headers);
    const second = await rawGet(gridPath(s.teacherId).plain, headers);
    const escaped = await rawGet(gridPath(s.teacherId).escaped, headers);
    expect(second.headers['content-encoding']).toBe('gzip');
    expect(Number(second.headers['content-length'])).toBe(second.sent);
    expect(escaped.headers['transfer-encoding']).toBe('chunked');
    expect(second.text).toBe(first.text);
  });

  it('never answers a parent’s read (a Bearer token) as a shared one', async () => {
    const headers = { authorization: `Bearer ${s.parent.token}` };
    const { plain, escaped } = await bothWays(gridPath(s.teacherId), headers);
    expect(plain.status).toBe(200);
    expect(plain.headers['cache-control']).toBe('private, no-store');
    expect(meaning(plain)).toEqual(meaning(escaped));
  });
});
