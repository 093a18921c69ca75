import { request as httpRequest } from 'node:http';
import { networkInterfaces } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../api/app.js';
import { DEFAULT_TENANT_ID, DEMO_ADMIN_KEY } from '../../api/contract/auth.js';
import { migrate } from '../../api/db/migrate-node.js';
import { openNodeStore } from '../../api/db/node.js';
import { ScheduleSource } from '../../api/db/schedule-source.js';
import { isLoopbackAddress, startNodeServer, type RunningServer } from '../../api/server/host.js';
import { query } from '../support/lifecycle.js';
import { API_TARGET, tempDatabasePath } from '../support/target.js';
import { startWorkerTarget, type WorkerTarget } from '../support/worker-target.js';

/*
 * The documented demo admin key (`demo-admin-key`) must only ever work from this machine. On Node
 * the socket's peer address decides, whatever the Host header says; on the Worker (no socket) the
 * host the request was made to, judged on the path the router will see (percent-escapes decoded).
 */

const NOW = '2026-11-30T06:00:00.000Z';

/** A raw HTTP request, so the Host header is exactly what the test says (fetch would set its own). */
function raw(
  url: string,
  options: {
    method?: string;
    path: string;
    host: string;
    body?: unknown;
    key?: string;
    localAddress?: string;
    headers?: Record<string, string>;
  },
): Promise<{ status: number; body: string }> {
  const { hostname, port } = new URL(url);
  const body = options.body === undefined ? undefined : JSON.stringify(options.body);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        hostname,
        port,
        method: options.method ?? 'GET',
        path: options.path,
        localAddress: options.localAddress,
        headers: {
          host: options.host,
          authorization: `Bearer ${options.key ?? DEMO_ADMIN_KEY}`,
          ...options.headers,
          ...(body ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } : {}),
        },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

describe('isLoopbackAddress', () => {
  it('takes 127.0.0.0/8 and ::1 (also IPv4-mapped) as this machine, nothing else', () => {
    for (const address of ['127.0.0.1', '127.8.9.10', '::1', '::ffff:127.0.0.1'])
      expect(isLoopbackAddress(address), address).toBe(true);
    for (const address of ['10.0.0.1', '192.168.1.2', '::ffff:10.1.2.3', 'fe80::1', '', undefined, 'localhost'])
      expect(isLoopbackAddress(address), String(address)).toBe(false);
  });
});

describe('the demo admin key in the app', () => {
  const db = tempDatabasePath('smart-pack-demo-key-');
  const store = openNodeStore(db.path);
  migrate(store.sqlite);
  afterAll(async () => {
    await store.close();
    db.cleanup();
  });
  const app = (adminApiKey: string, loopback: boolean) =>
    createApp({
      store,
      schedules: new ScheduleSource(store),
      now: () => new Date(NOW),
      adminApiKey,
      corsOrigin: '*',
      defaultTenantId: DEFAULT_TENANT_ID,
      isLoopbackRequest: () => loopback,
    });
  const get = (adminApiKey: string, loopback: boolean, key: string) =>
    app(adminApiKey, loopback).request('/admin/students', {
      headers: { authorization: `Bearer ${key}`, host: '127.0.0.1' },
    });

  it('is refused (401) when the host says the request is not from this machine, whatever the Host header', async () => {
    const refused = await get(DEMO_ADMIN_KEY, false, DEMO_ADMIN_KEY);
    expect(refused.status).toBe(401);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('unauthorized');
    const written = await app(DEMO_ADMIN_KEY, false).request('/admin/students', {
      method: 'POST',
      headers: { authorization: `Bearer ${DEMO_ADMIN_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Mallory' }),
    });
    expect(written.status).toBe(401);
    expect(store.sqlite.prepare('SELECT count(*) AS n FROM students').get()).toEqual({ n: 0 });
  });

  it('works from this machine, and a real operator key works from anywhere', async () => {
    expect((await get(DEMO_ADMIN_KEY, true, DEMO_ADMIN_KEY)).status).toBe(200);
    expect((await get('a-real-operator-key', false, 'a-real-operator-key')).status).toBe(200);
  });
});

describe.runIf(API_TARGET === 'node')('the demo admin key on the Node server', () => {
  let server: RunningServer;
  const db = tempDatabasePath('smart-pack-demo-node-');
  beforeAll(async () => {
    server = await startNodeServer({
      databasePath: db.path,
      port: 0,
      hostname: '0.0.0.0',
      adminApiKey: DEMO_ADMIN_KEY,
      now: NOW,
    });
  });
  afterAll(async () => {
    await server?.close();
    db.cleanup();
  });
  const local = () => `http://127.0.0.1:${server.port}`;

  it('is accepted from a loopback socket even with Host: evil.example (the socket decides)', async () => {
    const response = await raw(local(), { path: '/admin/students', host: 'evil.example' });
    expect(response.status).toBe(200);
  });

  it('is refused from a loopback socket that forwards someone else’s request (a reverse proxy on this machine)', async () => {
    for (const [name, value] of [
      ['x-forwarded-for', '203.0.113.7'],
      ['forwarded', 'for=203.0.113.7;proto=https'],
      ['x-real-ip', '203.0.113.7'],
    ] as const) {
      const read = await raw(local(), { path: '/admin/students', host: 'school.example', headers: { [name]: value } });
      expect(read.status, name).toBe(401);
    }
  });

  // A socket from this machine's own non-loopback address is the nearest thing to a remote client
  // that needs no network; machines with no such interface skip it (the app-level test above covers the rule).
  const external = Object.values(networkInterfaces())
    .flat()
    .find((i) => i && i.family === 'IPv4' && !i.internal)?.address;
  it.runIf(external)(
    'is refused from a non-loopback socket, also with Host: 127.0.0.1, and writes nothing',
    async () => {
      const url = `http://${external}:${server.port}`;
      for (const host of ['127.0.0.1', 'localhost', 'evil.example']) {
        const read = await raw(url, { path: '/admin/students', host, localAddress: external });
        expect(read.status, host).toBe(401);
      }
      const write = await raw(url, {
        method: 'POST',
        path: '/admin/students',
        host: '127.0.0.1',
        body: { name: 'Mallory' },
        localAddress: external,
      });
      expect(write.status).toBe(401);
      expect(query(db.path, 'SELECT count(*) AS n FROM students')).toEqual([{ n: 0 }]);
    },
  );
});

describe.runIf(API_TARGET === 'worker')('the demo admin key on the Worker', () => {
  let worker: WorkerTarget;
  beforeAll(async () => {
    worker = await startWorkerTarget({ now: NOW, adminKey: DEMO_ADMIN_KEY });
  }, 120_000);
  afterAll(async () => {
    await worker?.close();
  });

  it('is refused on a public host on every spelling of /admin, and no write goes through', async () => {
    for (const path of ['/admin/students', '/%61dmin/students', '/%61%64%6D%69%6E/students', '//admin/students']) {
      const response = await raw(worker.url, { path, host: 'school.example' });
      expect(response.status, path).toBe(401);
    }
    const write = await raw(worker.url, {
      method: 'POST',
      path: '/%61dmin/students',
      host: 'school.example',
      body: { name: 'Mallory' },
    });
    expect(write.status).toBe(401);
    expect(query(worker.databasePath, 'SELECT count(*) AS n FROM students')).toEqual([{ n: 0 }]);
  });

  it('still works on this machine', async () => {
    expect((await raw(worker.url, { path: '/admin/students', host: new URL(worker.url).host })).status).toBe(200);
  });
});
