import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnServer, type ServerProcess } from '../support/process.js';
import { tempDatabasePath } from '../support/target.js';

// `npm start` runs the compiled server from build/, which finds the demo pages and the built widget
// from there: a source-only test would not see a wrong path in the compiled tree.
describe('npm start: the compiled server', () => {
  const db = tempDatabasePath('smart-pack-compiled-');
  let server: ServerProcess;

  beforeAll(async () => {
    expect(existsSync('build/api/server/node.js'), 'run `npm run build` first').toBe(true);
    server = await spawnServer({ DATABASE_PATH: db.path, SEED: 'true' }, { compiled: true });
  });
  afterAll(async () => {
    await server?.stop();
    db.cleanup();
  });

  it('serves the demo pages, the built widget and the seeded API from one port', async () => {
    for (const path of ['/', '/book/teacher-amna', '/partner', '/pack/package-legacy']) {
      const res = await fetch(`${server.url}${path}`);
      expect(res.status, path).toBe(200);
      expect(res.headers.get('content-type'), path).toContain('text/html');
      expect(await res.text(), path).toContain('<!doctype html');
    }
    const script = await fetch(`${server.url}/dist/smart-pack-grid.js`);
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toContain('javascript');
    expect((await script.text()).length).toBeGreaterThan(10_000);
    const teachers = (await (await fetch(`${server.url}/marketplace/teachers`)).json()) as {
      teachers: { id: string }[];
    };
    expect(teachers.teachers.map((t) => t.id)).toContain('teacher-amna');
    expect((await fetch(`${server.url}/openapi.json`)).status).toBe(200);
  });
});
