import { expect } from '@open-wc/testing';
import { createFetchClient } from '../../widget/api-client.js';
import { createPackageClient } from '../../widget/package-view/package-client.js';

/** A fetch that records what it was asked and answers `body`. */
function recorder(body: unknown) {
  const calls: Request[] = [];
  const fetchImpl = (async (input: RequestInfo | URL, init?: RequestInit) => {
    calls.push(new Request(input, init));
    return new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } });
  }) as typeof fetch;
  return { calls, fetchImpl };
}

/** A server of one tagged answer: 304 to a matching If-None-Match, else the body with its tag. */
function tagged(body: unknown, tag = '"t1"') {
  const calls: Request[] = [];
  const fetchImpl = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = new Request(input, init);
    calls.push(request);
    if (request.headers.get('if-none-match') === tag)
      return new Response(null, { status: 304, headers: { etag: tag } });
    return new Response(JSON.stringify(body), {
      status: 200,
      headers: { 'content-type': 'application/json', etag: tag },
    });
  }) as typeof fetch;
  return { calls, fetchImpl };
}

describe('the API clients', () => {
  describe('revalidation', () => {
    it('sends the last ETag of a read back as If-None-Match and reuses its body on a 304', async () => {
      const grid = { teacherId: 'revalidated', timezone: 'UTC', weeks: 1, availability: [] };
      const { calls, fetchImpl } = tagged(grid);
      const client = createFetchClient('https://api.example/revalidate', fetchImpl);
      expect(await client.weeklyGrid('revalidated', { weeks: 1 })).to.deep.equal(grid);
      expect(await client.weeklyGrid('revalidated', { weeks: 1 })).to.deep.equal(grid);
      expect(calls.map((r) => r.headers.get('if-none-match'))).to.deep.equal([null, '"t1"']);
    });

    it('keeps one copy per school: another publishable key asks afresh', async () => {
      const { calls, fetchImpl } = tagged({ teachers: [] }, '"t2"');
      let key = 'pk_a';
      const client = createFetchClient('https://api.example/per-key', fetchImpl, undefined, () => key);
      await client.teachers();
      key = 'pk_b';
      await client.teachers();
      expect(calls.map((r) => r.headers.get('if-none-match'))).to.deep.equal([null, null]);
    });

    it('never sends a tag with a purchase or a check', async () => {
      const { calls, fetchImpl } = tagged({ ok: true }, '"t3"');
      const client = createFetchClient('https://api.example/writes', fetchImpl);
      await client.check({ teacherId: 't', patterns: [] });
      await client.check({ teacherId: 't', patterns: [] });
      expect(calls.every((r) => !r.headers.has('if-none-match'))).to.equal(true);
    });
  });

  describe('publishable key', () => {
    it('sends the school’s publishable key as X-Publishable-Key on every call, read per call', async () => {
      const { calls, fetchImpl } = recorder({ teachers: [] });
      let key = 'pk_first';
      const client = createFetchClient(
        'https://api.example',
        fetchImpl,
        () => 'a-parent-token',
        () => key,
      );
      await client.teachers();
      key = 'pk_second';
      await client.getPackage('p1');
      expect(calls.map((r) => r.headers.get('x-publishable-key'))).to.deep.equal(['pk_first', 'pk_second']);
      expect(calls[1]!.headers.get('authorization')).to.equal('Bearer a-parent-token');
    });

    it('sends no X-Publishable-Key without one (the deployment’s default school answers)', async () => {
      const { calls, fetchImpl } = recorder({ teachers: [] });
      await createFetchClient('https://api.example', fetchImpl).teachers();
      expect(calls[0]!.headers.has('x-publishable-key')).to.equal(false);
    });

    it('sends it from the package view too', async () => {
      const { calls, fetchImpl } = recorder({});
      await createPackageClient(
        'https://api.example',
        fetchImpl,
        () => 't',
        () => 'pk_pack',
      ).getPackage('p1');
      expect(calls[0]!.headers.get('x-publishable-key')).to.equal('pk_pack');
    });
  });
});
