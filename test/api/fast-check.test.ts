import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CreatedTenant } from '../../api/contract/wire.js';
import { buildScenario, type Scenario } from '../support/scenario.js';
import { API_TARGET, startTarget, type ApiTarget } from '../support/target.js';
import { createTenant } from '../support/tenants.js';
import { meaning, rawRequest } from '../support/raw-http.js';

/*
 * The availability check's path without the stack (api/routes/fast-check.ts) takes a plain JSON check; the
 * same request with `charset=utf-8` in its Content-Type takes the ordinary route. Each request here is sent
 * both ways and the two answers must be the same: status, the headers a browser or a cache reads, and the
 * body; each is counted once in the per-IP checks limit (its RateLimit-Remaining one lower the second time).
 */

const NOW = '2026-11-30T06:00:00.000Z';
const ALLOWED_ORIGIN = 'https://school.example';
const CHECK = '/packages/check-multi-slot-availability';
const PLAIN = 'application/json';
const ORDINARY = 'application/json; charset=utf-8';

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

const rawPost = (body: string | Buffer, headers: Record<string, string>) =>
  rawRequest(`${target.url}${CHECK}`, { method: 'POST', headers, body });
/** Each request moves the count on: the two ways differ in RateLimit-Remaining, by one. */
const checkMeaning = (answer: Awaited<ReturnType<typeof rawPost>>) => meaning(answer, ['ratelimit-remaining']);

async function bothWays(body: string | Buffer, headers: Record<string, string>) {
  const plain = await rawPost(body, { ...headers, 'content-type': PLAIN });
  const ordinary = await rawPost(body, { ...headers, 'content-type': ORDINARY });
  return { plain, ordinary };
}

describe('the availability check’s path', () => {
  const key = () => ({ 'x-publishable-key': tenant.publishableKey });
  const valid = () =>
    JSON.stringify({
      teacherId: s.teacherId,
      tierId: s.tierId,
      patterns: [
        { weekday: 'MONDAY', time: '10:00' },
        { weekday: 'WEDNESDAY', time: '11:00' },
      ],
    });
  type Case = () => { body: string | Buffer; headers: Record<string, string> };
  const cases: [string, number, Case][] = [
    ['a check with the key', 200, () => ({ body: valid(), headers: key() })],
    ['a gzip check', 200, () => ({ body: valid(), headers: { ...key(), 'accept-encoding': 'gzip' } })],
    ['a check from the tenant’s origin', 200, () => ({ body: valid(), headers: { ...key(), origin: ALLOWED_ORIGIN } })],
    [
      'a check from an origin the tenant does not allow',
      200,
      () => ({ body: valid(), headers: { ...key(), origin: 'https://elsewhere.example' } }),
    ],
    [
      'a check in the default tenant, with no key',
      200,
      () => ({
        body: JSON.stringify({
          teacherId: 'teacher-amna',
          recurringSessionCount: 4,
          patterns: [{ weekday: 'SUNDAY', time: '10:00' }],
        }),
        headers: {},
      }),
    ],
    ['an unknown key', 401, () => ({ body: valid(), headers: { 'x-publishable-key': 'pk_live_nope' } })],
    ['another tenant’s teacher', 404, () => ({ body: valid().replace(s.teacherId, 'teacher-amna'), headers: key() })],
    ['an unknown tier', 404, () => ({ body: valid().replace(s.tierId, 'nope'), headers: key() })],
    ['a body the schema refuses', 400, () => ({ body: JSON.stringify({ teacherId: s.teacherId }), headers: key() })],
    ['text that is not JSON', 400, () => ({ body: '{"teacherId": ', headers: key() })],
    ['a lone surrogate', 400, () => ({ body: valid().replace(s.teacherId, '\\ud800'), headers: key() })],
    [
      'bytes that are not UTF-8',
      400,
      () => ({
        body: Buffer.concat([Buffer.from('{"teacherId":"'), Buffer.from([0xff]), Buffer.from('"}')]),
        headers: key(),
      }),
    ],
  ];

  it.each(cases)('answers %s (%i) as the ordinary route does, counting it once', async (_name, status, make) => {
    const { body, headers } = make();
    const { plain, ordinary } = await bothWays(body, headers);
    expect(plain.status).toBe(status);
    expect(checkMeaning(plain)).toEqual(checkMeaning(ordinary));
    if (status !== 401) {
      expect(Number(ordinary.headers['ratelimit-remaining'])).toBe(Number(plain.headers['ratelimit-remaining']) - 1);
    }
  });

  it('answers any mix of picks, fields and headers as the ordinary route does, counting each once', async () => {
    const mostly = <T>(usual: T[], unusual: T[]) =>
      fc.oneof(
        { arbitrary: fc.constantFrom(...usual), weight: 6 },
        { arbitrary: fc.constantFrom(...unusual), weight: 1 },
      );
    const often = <T>(values: fc.Arbitrary<T>) => fc.option(values, { nil: undefined, freq: 3 });
    const rarely = <T>(values: fc.Arbitrary<T>) =>
      fc.oneof({ arbitrary: fc.constant(undefined), weight: 9 }, { arbitrary: values, weight: 1 });
    const pattern = fc.record({
      weekday: mostly(['SUNDAY', 'MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'SATURDAY'], ['FRIDAY', 'monday']),
      time: mostly(['09:00', '10:00', '10:30', '16:00', '17:00'], ['24:00', '7:00', '03:00']),
    });
    const statuses: number[] = [];
    await fc.assert(
      fc.asyncProperty(
        fc.record(
          {
            teacherId: mostly([s.teacherId], ['teacher-amna', 'nobody']),
            tierId: mostly([s.tierId], ['nope']),
            patterns: fc.oneof(
              { arbitrary: fc.array(pattern, { minLength: 1, maxLength: 4 }), weight: 8 },
              { arbitrary: fc.array(pattern, { minLength: 0, maxLength: 6 }), weight: 1 },
            ),
            subjectId: rarely(mostly([s.subjectId], ['nope'])),
            recurringSessionCount: rarely(fc.constantFrom(1, 4, 0)),
            colour: rarely(fc.constant('red')),
          },
          { requiredKeys: ['teacherId', 'patterns'] },
        ),
        often(fc.constantFrom(ALLOWED_ORIGIN, 'https://elsewhere.example')),
        often(fc.constantFrom('gzip', 'identity')),
        mostly([tenant.publishableKey], ['pk_live_nope']),
        async (fields, origin, encoding, key) => {
          const body = JSON.stringify(Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)));
          const headers: Record<string, string> = { 'x-publishable-key': key };
          if (origin) headers.origin = origin;
          if (encoding) headers['accept-encoding'] = encoding;
          const { plain, ordinary } = await bothWays(body, headers);
          statuses.push(plain.status);
          expect(checkMeaning(plain)).toEqual(checkMeaning(ordinary));
          if (plain.status !== 401) {
            expect(Number(ordinary.headers['ratelimit-remaining'])).toBe(
              Number(plain.headers['ratelimit-remaining']) - 1,
            );
          }
        },
      ),
      { numRuns: 100 },
    );
    // A fair share of cases must have been the check's own path to answer: about 30 of the 100 are (22–37 over
    // runs); 12 is four standard deviations below, so the seed never fails it.
    expect(statuses.filter((status) => status === 200).length).toBeGreaterThanOrEqual(12);
  });

  it('says the same thing again for the same picks, from what it remembered', async () => {
    const first = await rawPost(valid(), { ...key(), 'content-type': PLAIN });
    const again = await rawPost(valid(), { ...key(), 'content-type': PLAIN });
    expect(again.status).toBe(200);
    expect(JSON.parse(again.text)).toEqual(JSON.parse(first.text));
    if (API_TARGET === 'node') expect(again.headers['content-length']).toBe(String(Buffer.byteLength(again.text)));
  });
});
