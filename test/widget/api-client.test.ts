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

describe('the API clients', () => {
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
