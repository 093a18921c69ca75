import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, startWranglerDev, writeAssetsConfig, type RunningWorker } from '../../api/server/worker-local.js';
import { request } from '../support/http.js';
import { spawnServer, type ServerProcess } from '../support/process.js';
import { ADMIN_KEY, API_TARGET, startTarget, tempDatabasePath, type ApiTarget } from '../support/target.js';
import { DEMO_ADMIN_KEY } from '../../api/contract/auth.js';

const NOW = '2026-11-30T06:00:00.000Z';
const AUTH = { authorization: `Bearer ${ADMIN_KEY}` };
const KB = 1024;

/** A valid student body padded with JSON whitespace to exactly `bytes` bytes. */
function paddedStudent(name: string, bytes: number): string {
  const json = JSON.stringify({ name });
  return json.slice(0, -1) + ' '.repeat(bytes - json.length) + '}';
}

function count(databasePath: string, table: string): number {
  const db = new Database(databasePath, { readonly: true });
  try {
    return (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
  } finally {
    db.close();
  }
}

describe('the API', () => {
  let target: ApiTarget;
  beforeAll(async () => {
    target = await startTarget({ now: NOW });
  }, 120_000);
  afterAll(async () => {
    await target?.close();
  });

  describe('request bodies over 64 KB', () => {
    it('refuses a 65 KB body with 413 payload_too_large, and writes nothing', async () => {
      const before = count(target.databasePath, 'students');
      const body = paddedStudent('Too long', 65 * KB);
      const response = await request(target.url, 'POST', '/admin/students', {
        rawBody: body,
        headers: { ...AUTH, 'content-type': 'application/json' },
      });
      expect(response.status).toBe(413);
      expect(response.body).toEqual({
        error: { code: 'payload_too_large', message: expect.any(String), details: { maxBytes: 64 * KB } },
      });
      expect(count(target.databasePath, 'students')).toBe(before);
    });

    it('refuses a chunked body without Content-Length once it passes 64 KB', async () => {
      const before = count(target.databasePath, 'students');
      const bytes = new TextEncoder().encode(paddedStudent('Streamed', 65 * KB));
      const stream = new ReadableStream<Uint8Array>({
        start(controller) {
          for (let at = 0; at < bytes.length; at += 8 * KB) controller.enqueue(bytes.slice(at, at + 8 * KB));
          controller.close();
        },
      });
      const response = await fetch(`${target.url}/admin/students`, {
        method: 'POST',
        headers: { ...AUTH, 'content-type': 'application/json' },
        body: stream,
        duplex: 'half',
      } as RequestInit);
      expect(response.status).toBe(413);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe('payload_too_large');
      expect(count(target.databasePath, 'students')).toBe(before);
    });

    it('reads a 60 KB body that is otherwise valid', async () => {
      const response = await request(target.url, 'POST', '/admin/students', {
        rawBody: paddedStudent('Padded but fine', 60 * KB),
        headers: { ...AUTH, 'content-type': 'application/json' },
      });
      expect(response.status).toBe(201);
      expect(response.body.name).toBe('Padded but fine');
    });
  });

  it('sends X-Content-Type-Options: nosniff on every JSON answer, refusals included', async () => {
    const answers = [
      await request(target.url, 'GET', '/marketplace/teachers'),
      await request(target.url, 'GET', '/openapi.json'),
      await request(target.url, 'GET', '/no/such/route'),
      await request(target.url, 'POST', '/packages', { body: {} }),
      await request(target.url, 'GET', '/admin/students'),
    ];
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 404, 401, 401]);
    for (const answer of answers) {
      expect(answer.headers.get('content-type')).toMatch(/^application\/json/);
      expect(answer.headers.get('x-content-type-options')).toBe('nosniff');
    }
  });

  if (API_TARGET === 'worker') {
    // What `wrangler deploy` uploads binds no assets: no pages, no widget files, so no source maps either.
    it('serves no source maps when deployed (no assets bound)', async () => {
      const map = await request(target.url, 'GET', '/dist/smart-pack-grid.js.map');
      expect(map.status).toBe(404);
      expect(map.body.error.code).toBe('not_found');
    });

    // Only `npm run dev:worker` and `npm run seed:worker` seed; the Worker itself never does.
    it('never seeds demo data into an empty D1', async () => {
      const teachers = await request(target.url, 'GET', '/admin/teachers', { headers: AUTH });
      expect(teachers.status).toBe(200);
      expect(teachers.body.teachers).toEqual([]);
    });
  }
});

const PAGES = ['/', '/book/teacher-amna', '/pack/package-legacy', '/partner', '/teach'] as const;
const EMBEDDABLE = new Set<string>(['/book/teacher-amna', '/pack/package-legacy']);

/** A CSP as directive → sources. */
function csp(header: string | null): Map<string, string[]> {
  return new Map(
    (header ?? '')
      .split(';')
      .map((part) => part.trim().split(/\s+/))
      .filter((parts) => parts[0])
      .map(([name, ...sources]) => [name!, sources]),
  );
}

describe(`security headers of the pages (${API_TARGET === 'worker' ? 'Worker with demo assets' : 'npm start'}, FRAME_ANCESTORS set)`, () => {
  let url: string;
  let stop: () => Promise<void>;

  beforeAll(async () => {
    const frameAncestors = "'self' https://school.example";
    if (API_TARGET === 'worker') {
      const dir = mkdtempSync(join(tmpdir(), 'smart-pack-pages-'));
      const worker: RunningWorker = await startWranglerDev({
        persistTo: join(dir, 'state'),
        port: await freePort(),
        config: writeAssetsConfig(dir),
        vars: { ADMIN_API_KEY: ADMIN_KEY, NOW, FRAME_ANCESTORS: frameAncestors },
      });
      url = worker.url;
      stop = async () => {
        await worker.stop();
        rmSync(dir, { recursive: true, force: true });
      };
    } else {
      const db = tempDatabasePath('smart-pack-pages-');
      const server = await spawnServer({ DATABASE_PATH: db.path, NOW, FRAME_ANCESTORS: frameAncestors });
      url = server.url;
      stop = async () => {
        await server.stop();
        db.cleanup();
      };
    }
  }, 120_000);
  afterAll(async () => {
    await stop?.();
  });

  it.each(PAGES)('%s: a CSP that allows the widget and this response’s inline scripts only', async (path) => {
    const response = await fetch(url + path);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await response.text();
    const policy = csp(response.headers.get('content-security-policy'));
    const scriptSrc = policy.get('script-src') ?? [];
    const nonce = /^'nonce-([A-Za-z0-9+/=]+)'$/.exec(scriptSrc.find((s) => s.startsWith("'nonce-")) ?? '')?.[1];
    expect(nonce).toBeTruthy();
    expect(scriptSrc).toEqual(["'self'", `'nonce-${nonce}'`]);
    expect(policy.get('default-src')).toEqual(["'self'"]);
    expect(policy.get('connect-src')).toEqual(["'self'"]);
    expect(policy.get('object-src')).toEqual(["'none'"]);
    expect(policy.get('base-uri')).toEqual(["'self'"]);
    // Every script element carries this response's nonce; the widget itself loads from /dist/ ('self').
    const scripts = html.match(/<script\b[^>]*>/gi) ?? [];
    expect(scripts.length).toBeGreaterThan(0);
    for (const tag of scripts) expect(tag).toContain(`nonce="${nonce}"`);
    // On Node the version is the file's content hash (api/server/host.ts withAssetVersions), so the browser keeps
    // it a year; the Worker's demo assets are Cloudflare's to cache (its own ETags), linked plain.
    expect(html).toMatch(
      API_TARGET === 'worker'
        ? /src="\/dist\/smart-pack-(grid|package|teacher)\.js"/
        : /src="\/dist\/smart-pack-(grid|package|teacher)\.js\?v=[0-9a-f]{16}"/,
    );
    // A fresh nonce per response: one seen in a page is no key to the next.
    const again = csp((await fetch(url + path)).headers.get('content-security-policy')).get('script-src');
    expect(again).not.toEqual(scriptSrc);
  });

  it.each(PAGES)('%s: nosniff, no Referer, and who may frame it', async (path) => {
    const response = await fetch(url + path);
    await response.arrayBuffer();
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    const frameAncestors = csp(response.headers.get('content-security-policy')).get('frame-ancestors');
    if (EMBEDDABLE.has(path)) {
      expect(frameAncestors).toEqual(["'self'", 'https://school.example']);
      // X-Frame-Options cannot name another origin; with it, browsers that read it first would refuse the school.
      expect(response.headers.get('x-frame-options')).toBeNull();
    } else {
      expect(frameAncestors).toEqual(["'self'"]);
      expect(response.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    }
  });
});

describe.skipIf(API_TARGET === 'worker')('a production start (npm start with NODE_ENV=production)', () => {
  const started: { server: ServerProcess; cleanup(): void }[] = [];
  async function start(env: Record<string, string>) {
    const db = tempDatabasePath('smart-pack-mode-');
    // SEED=true says "seed if empty"; production must ignore it.
    const server = await spawnServer({ DATABASE_PATH: db.path, NOW, ADMIN_API_KEY: ADMIN_KEY, SEED: 'true', ...env });
    started.push({ server, cleanup: db.cleanup });
    return server.url;
  }
  let demo: string;
  let production: string;
  beforeAll(async () => {
    [demo, production] = await Promise.all([start({}), start({ NODE_ENV: 'production' })]);
  }, 120_000);

  it('does not serve the demo parent or teacher token or the demo checkout; the demo start does', async () => {
    const token = await request(demo, 'GET', '/demo/parent-token');
    expect(token.status).toBe(200);
    expect(typeof token.body.token).toBe('string');
    // The demo teacher's token opens that teacher's own /teacher routes, and nothing of the parent's.
    const teacher = await request(demo, 'GET', '/demo/teacher-token');
    expect([teacher.status, teacher.body.teacherId]).toEqual([200, 'teacher-amna']);
    const me = await fetch(`${demo}/teacher/me`, { headers: { authorization: `Bearer ${teacher.body.token}` } });
    expect([me.status, (await me.json()).id]).toEqual([200, 'teacher-amna']);
    const asParent = await fetch(`${demo}/auth/me`, { headers: { authorization: `Bearer ${teacher.body.token}` } });
    expect(asParent.status).toBe(401);
    expect((await request(demo, 'POST', '/demo/checkout/no-such-package')).status).toBe(404);
    for (const [method, path] of [
      ['GET', '/demo/parent-token'],
      ['GET', '/demo/teacher-token'],
      ['POST', '/demo/checkout/package-legacy'],
    ] as const) {
      const response = await request(production, method, path);
      expect([response.status, response.body.error.code], path).toEqual([404, 'not_found']);
    }
    // Still a production host with its pages and widget: only the demo's helpers are gone.
    expect((await fetch(`${production}/`)).status).toBe(200);
  });

  it('answers /favicon.ico with a PNG icon on both starts (no 404 on every page), and the SVG beside it', async () => {
    const PNG_MAGIC = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
    for (const url of [demo, production]) {
      for (const path of ['/favicon.ico', '/favicon.png']) {
        const response = await fetch(`${url}${path}`);
        expect([response.status, response.headers.get('content-type')], path).toEqual([200, 'image/png']);
        const bytes = new Uint8Array(await response.arrayBuffer());
        expect([...bytes.subarray(0, 8)], path).toEqual(PNG_MAGIC);
        // IHDR: 32 × 32.
        const view = new DataView(bytes.buffer);
        expect([view.getUint32(16), view.getUint32(20)], path).toEqual([32, 32]);
      }
      const svg = await fetch(`${url}/favicon.svg`);
      expect([svg.status, svg.headers.get('content-type')]).toEqual([200, 'image/svg+xml']);
      expect(await svg.text()).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    }
  });

  it('says in its start-up lines what it did with the database and prints a pack page URL', async () => {
    const log = started.find(({ server }) => server.url === demo)!.server.output();
    expect(log).toMatch(/database\s+seeded demo data/);
    expect(started.find(({ server }) => server.url === production)!.server.output()).toMatch(
      /database\s+kept 0 packages/,
    );
    const pack = /pack page\s+(http:\/\/\S+)/.exec(log)![1]!;
    expect(pack).toMatch(/\/pack\/package-legacy\?t=[\w-]+\.[\w-]+\.[\w-]+$/);
    // The printed link opens the seeded pack (the manage token is its credential).
    const t = new URL(pack).searchParams.get('t');
    const read = await request(demo, 'GET', '/packages/package-legacy', { headers: { authorization: `Bearer ${t}` } });
    expect([read.status, read.body.id]).toEqual([200, 'package-legacy']);
    const db = tempDatabasePath('smart-pack-mode-');
    try {
      // A database with data is kept, and the log counts its packages.
      const seeded = await spawnServer({ DATABASE_PATH: db.path, NOW, ADMIN_API_KEY: ADMIN_KEY, SEED: 'true' });
      await seeded.stop();
      const again = await spawnServer({ DATABASE_PATH: db.path, NOW, ADMIN_API_KEY: ADMIN_KEY, SEED: 'true' });
      await again.stop();
      expect(again.output()).toMatch(/database\s+kept 1 package \(/);
    } finally {
      db.cleanup();
    }
  });

  it('checks PORT before npm start builds: one line and exit 1 when taken, silent and 0 when free', async () => {
    const run = (port: string) =>
      new Promise<{ code: number | null; output: string }>((resolve) => {
        const child = spawn(process.execPath, ['scripts/check-port.mjs'], {
          cwd: fileURLToPath(new URL('../../', import.meta.url)),
          env: { ...process.env, PORT: port, HOST: '127.0.0.1' },
        });
        let output = '';
        child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
        child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
        child.on('exit', (code) => resolve({ code, output }));
      });
    const taken = new URL(demo).port;
    const busy = await run(taken);
    expect(busy.code).toBe(1);
    expect(busy.output.trim().split('\n')).toEqual([
      `Port ${taken} on 127.0.0.1 is already in use: stop what runs there, or start on another port (PORT=${Number(taken) + 1} npm start).`,
    ]);
    expect(await run('0')).toEqual({ code: 0, output: '' });
    expect((await run('not-a-port')).code).toBe(1);
  });

  it('names PORT in one line when the port is taken, with no stack trace', async () => {
    const taken = new URL(demo).port;
    const db = tempDatabasePath('smart-pack-mode-');
    try {
      const failure = await spawnServer({ DATABASE_PATH: db.path, NOW, ADMIN_API_KEY: ADMIN_KEY, PORT: taken }).then(
        () => null,
        (error: Error) => error.message,
      );
      expect(failure).toContain(`Port ${taken} on 127.0.0.1 is already in use`);
      expect(failure).toContain('PORT=');
      expect(failure).not.toMatch(/\n\s+at /);
      expect(failure).not.toContain('Error: listen');
    } finally {
      db.cleanup();
    }
  });
  afterAll(async () => {
    for (const { server, cleanup } of started) {
      await server.stop();
      cleanup();
    }
  });

  it('serves the widget but not its source maps; the demo start serves both', async () => {
    for (const [url, mapStatus] of [
      [demo, 200],
      [production, 404],
    ] as const) {
      const script = await fetch(`${url}/dist/smart-pack-grid.js`);
      await script.arrayBuffer();
      expect(script.status).toBe(200);
      const map = await fetch(`${url}/dist/smart-pack-grid.js.map`);
      await map.arrayBuffer();
      expect(map.status, url).toBe(mapStatus);
    }
  });

  it('does not seed the demo data (guessable ids) into an empty database; the demo start does', async () => {
    const teachers = async (url: string) =>
      (await request(url, 'GET', '/admin/teachers', { headers: AUTH })).body.teachers.map((t: { id: string }) => t.id);
    expect(await teachers(demo)).toContain('teacher-amna');
    expect(await teachers(production)).toEqual([]);
  });

  it('names no default tenant: a public request without a publishable key is refused (401)', async () => {
    const response = await request(production, 'GET', '/marketplace/teachers');
    expect([response.status, response.body.error.code]).toEqual([401, 'unauthorized']);
    expect((await request(demo, 'GET', '/marketplace/teachers')).status).toBe(200);
  });

  it('refuses to start with the demo admin key, or with none', async () => {
    const db = tempDatabasePath('smart-pack-mode-');
    try {
      for (const key of [DEMO_ADMIN_KEY, undefined]) {
        const env: Record<string, string> = { DATABASE_PATH: db.path, NODE_ENV: 'production' };
        if (key) env.ADMIN_API_KEY = key;
        else env.ADMIN_API_KEY = '';
        await expect(spawnServer(env), String(key)).rejects.toThrow(/Refusing to start in production/);
      }
    } finally {
      db.cleanup();
    }
  });
});
