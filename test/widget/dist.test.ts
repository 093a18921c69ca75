// Loads the files partners get (run `npm run build` first). web-test-runner compiles the sources
// with esbuild, which would hide a decorator that Vite's build left untransformed; this would not.
import { expect, waitUntil } from '@open-wc/testing';
import { FakeApi } from './fake-api.js';

const ES_BUILD = '/widget/dist/smart-pack-grid.js';
const IIFE_BUILD = '/widget/dist/smart-pack-grid.iife.js';

describe('built dist files', () => {
  let fake: FakeApi;
  beforeEach(() => {
    fake = new FakeApi().install();
  });
  afterEach(() => {
    fake.uninstall();
  });

  it('dist/smart-pack-grid.js registers the element and renders the grid from attributes', async () => {
    await import(/* @vite-ignore */ ES_BUILD);
    const Ctor = customElements.get('smart-pack-grid');
    expect(Ctor, `${ES_BUILD} did not define <smart-pack-grid>`).to.exist;
    const el = document.createElement('smart-pack-grid') as HTMLElement & { teacherId: string; shadowRoot: ShadowRoot };
    el.setAttribute('teacher-id', 't1');
    el.setAttribute('lang', 'en-US');
    el.setAttribute('viewer-time-zone', 'Africa/Khartoum');
    document.body.append(el);
    try {
      // Legacy decorators compiled correctly: the attribute reached the reactive property.
      expect(el.teacherId).to.equal('t1');
      await waitUntil(() => el.shadowRoot?.querySelector('[role=grid]'), 'the built element did not render the grid');
      expect(el.shadowRoot.querySelectorAll('[role=gridcell][data-weekday]').length).to.be.greaterThan(5);
    } finally {
      el.remove();
    }
  });

  it('dist/smart-pack-grid.iife.js registers the element from a classic <script>', async () => {
    const frame = document.createElement('iframe');
    frame.srcdoc = `<!doctype html><html lang="en"><body>
      <smart-pack-grid teacher-id="t1" api-base="/no-such-api"></smart-pack-grid>
      <script src="${IIFE_BUILD}"></script></body></html>`;
    document.body.append(frame);
    try {
      await waitUntil(
        () =>
          frame.contentWindow?.customElements.get('smart-pack-grid') &&
          frame.contentDocument?.querySelector('smart-pack-grid'),
        `${IIFE_BUILD} did not define the element`,
      );
      const el = frame.contentDocument!.querySelector('smart-pack-grid') as HTMLElement & { teacherId: string };
      expect(el.teacherId).to.equal('t1');
      // No API behind /no-such-api: the element reaches its error state, which proves it renders.
      await waitUntil(() => el.shadowRoot?.querySelector('[part~=error]'), 'the IIFE element did not render');
    } finally {
      frame.remove();
    }
  });
});
