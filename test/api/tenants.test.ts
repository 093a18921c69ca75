import { createHash, createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_TENANT_ID } from '../../api/contract/auth.js';
import { openNodeStore } from '../../api/db/node.js';
import { deliverDue } from '../../api/services/outbox.js';
import { client, request } from '../support/http.js';
import { query } from '../support/lifecycle.js';
import { buildScenario, purchaseBody } from '../support/scenario.js';
import { startTarget, type ApiTarget } from '../support/target.js';
import { createTenant, tenantWorld } from '../support/tenants.js';

const NOW = '2026-11-30T06:00:00.000Z';
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

let target: ApiTarget;
beforeAll(async () => {
  target = await startTarget({ now: NOW });
});
afterAll(async () => {
  await target?.close();
});

const operator = () => client(target.url, { authorization: `Bearer ${target.adminKey}` });
const withSecret = (key: string) => client(target.url, { authorization: `Bearer ${key}` });
const withPublishable = (key: string) => client(target.url, { 'x-publishable-key': key });

describe('POST /admin/tenants', () => {
  it('creates a tenant with prefixed keys shown once, stored only as SHA-256', async () => {
    const response = await operator().post('/admin/tenants', {
      name: 'Khartoum Academy',
      allowedOrigins: ['https://academy.example'],
      webhookUrl: 'https://academy.example/hooks',
      holdMinutes: 20,
    });
    expect(response.status).toBe(201);
    const tenant = response.body;
    expect(tenant).toEqual({
      id: expect.stringMatching(/^tnt_[0-9a-f]{32}$/),
      name: 'Khartoum Academy',
      allowedOrigins: ['https://academy.example'],
      webhookUrl: 'https://academy.example/hooks',
      holdMinutes: 20,
      paymentMode: 'required',
      publishableKey: expect.stringMatching(/^pk_[A-Za-z0-9_-]{43}$/),
      secretKey: expect.stringMatching(/^sk_[A-Za-z0-9_-]{43}$/),
      webhookSecret: expect.stringMatching(/^whsec_[0-9a-f]{64}$/),
      createdAt: NOW,
    });
    const keys = query<Record<string, unknown>>(target, 'SELECT * FROM tenant_keys WHERE tenant_id = ?', tenant.id);
    expect(keys.map((k) => [k.kind, k.key_hash, k.revoked_at]).sort()).toEqual(
      [
        ['publishable', sha256(tenant.publishableKey), null],
        ['secret', sha256(tenant.secretKey), null],
      ].sort(),
    );
    // Nowhere in the database in plain text.
    const db = new Database(target.databasePath, { readonly: true });
    try {
      const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[];
      for (const { name } of tables) {
        const dump = JSON.stringify(db.prepare(`SELECT * FROM "${name}"`).all());
        expect(dump.includes(tenant.secretKey), name).toBe(false);
        expect(dump.includes(tenant.publishableKey), name).toBe(false);
      }
    } finally {
      db.close();
    }
  });

  it('makes no webhook secret without a webhook, and unguessable ids every time', async () => {
    const [a, b] = [await createTenant(target), await createTenant(target)];
    expect(a.webhookSecret).toBeNull();
    expect(a.allowedOrigins).toBeNull();
    expect(a.holdMinutes).toBe(15);
    expect(a.paymentMode).toBe('required');
    expect(a.id).not.toBe(b.id);
    expect(a.secretKey).not.toBe(b.secretKey);
  });

  it('refuses malformed tenants with 400 and writes nothing', async () => {
    const before = query(target, 'SELECT count(*) AS n FROM tenants');
    for (const body of [
      {},
      { name: '' },
      { name: 'x', allowedOrigins: ['https://a.example/path'] },
      { name: 'x', allowedOrigins: ['*'] },
      { name: 'x', webhookUrl: 'ftp://a.example/' },
      { name: 'x', holdMinutes: 0 },
      { name: 'x', id: 'tenant-mine' },
    ]) {
      const response = await operator().post('/admin/tenants', body);
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect(response.body.error.code).toBe('validation_error');
    }
    expect(query(target, 'SELECT count(*) AS n FROM tenants')).toEqual(before);
  });

  it('is the operator’s alone: a tenant’s secret key gets 404, no key 401', async () => {
    const tenant = await createTenant(target);
    const own = withSecret(tenant.secretKey);
    for (const [method, path] of [
      ['get', '/admin/tenants'],
      ['post', '/admin/tenants'],
      ['post', `/admin/tenants/${tenant.id}/keys`],
    ] as const) {
      const response = await own[method](path, method === 'post' ? { name: 'Mine' } : undefined);
      expect(response.status, `${method} ${path}`).toBe(404);
      expect(response.body.error.code).toBe('not_found');
      expect((await client(target.url)[method](path, method === 'post' ? {} : undefined)).status).toBe(401);
    }
    expect(query(target, 'SELECT count(*) AS n FROM tenant_keys WHERE tenant_id = ?', tenant.id)).toEqual([{ n: 2 }]);
  });
});

describe('GET /admin/tenants', () => {
  it('lists every tenant with key prefixes, never a key or a webhook secret', async () => {
    const tenant = await createTenant(target, { webhookUrl: 'https://lists.example/hook' });
    for (let read = 0; read < 2; read++) {
      const response = await operator().get('/admin/tenants');
      expect(response.status).toBe(200);
      const text = JSON.stringify(response.body);
      expect(text.includes(tenant.secretKey)).toBe(false);
      expect(text.includes(tenant.publishableKey)).toBe(false);
      expect(text.includes(tenant.webhookSecret!)).toBe(false);
      const listed = response.body.tenants.find((t: { id: string }) => t.id === tenant.id);
      expect(listed).toEqual({
        id: tenant.id,
        name: tenant.name,
        allowedOrigins: null,
        webhookUrl: 'https://lists.example/hook',
        holdMinutes: 15,
        paymentMode: 'required',
        limits: { purchasesPerHourPerParent: null, maxOpenPurchases: null },
        reminderOffsetsMinutes: [1440, 60],
        studentNoShow: 'release',
        keyPrefixes: { publishable: tenant.publishableKey.slice(0, 9), secret: tenant.secretKey.slice(0, 9) },
        createdAt: NOW,
      });
      expect(response.body.tenants.map((t: { id: string }) => t.id)).toContain(DEFAULT_TENANT_ID);
    }
  });
});

describe('POST /admin/tenants/:id/keys', () => {
  it('rotates the secret key by default: the old one stops working at once, the new one works', async () => {
    const tenant = await createTenant(target);
    expect((await withSecret(tenant.secretKey).get('/admin/teachers')).status).toBe(200);
    const rotated = await operator().post(`/admin/tenants/${tenant.id}/keys`, {});
    expect(rotated.status).toBe(201);
    expect(rotated.body).toEqual({
      tenantId: tenant.id,
      publishableKey: null,
      secretKey: expect.stringMatching(/^sk_/),
      keyPrefixes: { publishable: tenant.publishableKey.slice(0, 9), secret: rotated.body.secretKey.slice(0, 9) },
      tokensEnded: false,
    });
    const old = await withSecret(tenant.secretKey).get('/admin/teachers');
    expect([old.status, old.body.error.code]).toEqual([401, 'unauthorized']);
    expect((await withSecret(rotated.body.secretKey).get('/admin/teachers')).status).toBe(200);
    // The publishable key was not touched.
    expect((await withPublishable(tenant.publishableKey).get('/marketplace/teachers')).status).toBe(200);
    expect(
      query(
        target,
        'SELECT kind, revoked_at IS NOT NULL AS revoked FROM tenant_keys WHERE tenant_id = ? ORDER BY created_at, kind',
        tenant.id,
      ),
    ).toEqual([
      { kind: 'publishable', revoked: 0 },
      { kind: 'secret', revoked: 1 },
      { kind: 'secret', revoked: 0 },
    ]);
  });

  it('rotates the publishable key: the old one is refused (this server forgets it at once), the new one works', async () => {
    const tenant = await createTenant(target);
    expect((await withPublishable(tenant.publishableKey).get('/marketplace/teachers')).status).toBe(200);
    const rotated = await operator().post(`/admin/tenants/${tenant.id}/keys`, { kind: 'publishable' });
    expect(rotated.status).toBe(201);
    expect(rotated.body.secretKey).toBeNull();
    const old = await withPublishable(tenant.publishableKey).get('/marketplace/teachers');
    expect([old.status, old.body.error.code]).toEqual([401, 'unauthorized']);
    expect((await withPublishable(rotated.body.publishableKey).get('/marketplace/teachers')).status).toBe(200);
    expect((await withSecret(tenant.secretKey).get('/admin/teachers')).status).toBe(200);
  });

  it('takes a request without a body as a secret-key rotation', async () => {
    const tenant = await createTenant(target);
    const rotated = await request(target.url, 'POST', `/admin/tenants/${tenant.id}/keys`, {
      headers: { authorization: `Bearer ${target.adminKey}` },
    });
    expect(rotated.status).toBe(201);
    expect([rotated.body.publishableKey, rotated.body.secretKey.slice(0, 3)]).toEqual([null, 'sk_']);
    expect((await withSecret(tenant.secretKey).get('/admin/teachers')).status).toBe(401);
  });

  it('rotates both keys at once', async () => {
    const tenant = await createTenant(target);
    const rotated = await operator().post(`/admin/tenants/${tenant.id}/keys`, { kind: 'both' });
    expect(rotated.status).toBe(201);
    expect((await withSecret(tenant.secretKey).get('/admin/teachers')).status).toBe(401);
    expect((await withPublishable(tenant.publishableKey).get('/marketplace/teachers')).status).toBe(401);
    expect((await withSecret(rotated.body.secretKey).get('/admin/teachers')).status).toBe(200);
    expect((await withPublishable(rotated.body.publishableKey).get('/marketplace/teachers')).status).toBe(200);
  });

  it('with endTokens, voids every parent token, manage link and feed URL the tenant issued; without, keeps them', async () => {
    const w = await tenantWorld(target);
    const pack = await w.parent.get(`/packages/${w.pack.id}`);
    expect(pack.status).toBe(200);
    const manage = (w.pack as unknown as { manage: { token: string } }).manage.token;
    const feed = `${target.url}${pack.body.calendarPath}`;
    const opens = async () => [
      (await withSecret(w.s.parent.token).get(`/packages/${w.pack.id}`)).status,
      (await withSecret(manage).get(`/packages/${w.pack.id}`)).status,
      await fetch(feed).then(async (r) => (await r.arrayBuffer(), r.status)),
    ];
    expect(await opens()).toEqual([200, 200, 200]);

    const kept = await operator().post(`/admin/tenants/${w.tenant.id}/keys`, { kind: 'publishable' });
    expect([kept.status, kept.body.tokensEnded]).toEqual([201, false]);
    expect(await opens()).toEqual([200, 200, 200]);

    const ended = await operator().post(`/admin/tenants/${w.tenant.id}/keys`, { endTokens: true });
    expect([ended.status, ended.body.tokensEnded]).toEqual([201, true]);
    expect(await opens()).toEqual([401, 401, 401]);
    // The school's server (with its new key) mints a working token again.
    const fresh = await withSecret(ended.body.secretKey).post('/auth/parent-tokens', {
      guardian: { externalId: w.s.parent.guardianExternalId, name: 'Test Parent' },
      students: w.s.parent.students.map((st: { externalId: string; name: string }) => ({
        externalId: st.externalId,
        name: st.name,
      })),
    });
    expect(fresh.status).toBe(201);
    expect((await withSecret(fresh.body.token).get(`/packages/${w.pack.id}`)).status).toBe(200);
  });

  it('answers 404 for an unknown tenant and 400 for an unknown kind, changing nothing', async () => {
    const unknown = await operator().post('/admin/tenants/tnt_nobody/keys', {});
    expect([unknown.status, unknown.body.error.code]).toEqual([404, 'tenant_not_found']);
    const tenant = await createTenant(target);
    const bad = await operator().post(`/admin/tenants/${tenant.id}/keys`, { kind: 'master' });
    expect(bad.status).toBe(400);
    expect((await withSecret(tenant.secretKey).get('/admin/teachers')).status).toBe(200);
  });

  it('lets one of two racing rotations win; the other changes nothing, and exactly one new key works', async () => {
    const tenant = await createTenant(target);
    const results = await Promise.all([1, 2].map(() => operator().post(`/admin/tenants/${tenant.id}/keys`, {})));
    const statuses = results.map((r) => r.status);
    expect(
      statuses.every((status) => status === 201 || status === 409),
      JSON.stringify(statuses),
    ).toBe(true);
    expect(statuses).toContain(201);
    for (const refused of results.filter((r) => r.status === 409))
      expect(refused.body.error.code).toBe('rotation_conflict');
    const working = [];
    for (const r of results.filter((r) => r.status === 201)) {
      if ((await withSecret(r.body.secretKey).get('/admin/teachers')).status === 200) working.push(r.body.secretKey);
    }
    expect(working).toHaveLength(1);
    expect(
      query(
        target,
        "SELECT count(*) AS n FROM tenant_keys WHERE tenant_id = ? AND kind = 'secret' AND revoked_at IS NULL",
        tenant.id,
      ),
    ).toEqual([{ n: 1 }]);
  });
});

describe('the operator key in a tenant', () => {
  it('acts in the tenant named by X-Tenant-Id, else in the default tenant', async () => {
    const tenant = await createTenant(target);
    const made = await operator().post('/admin/subjects', { name: 'Physics' }, { 'x-tenant-id': tenant.id });
    expect(made.status).toBe(201);
    const theirs = await withSecret(tenant.secretKey).get('/admin/subjects');
    expect(theirs.body.subjects.map((s: { id: string }) => s.id)).toEqual([made.body.id]);
    const defaults = await operator().get('/admin/subjects');
    expect(defaults.body.subjects.map((s: { id: string }) => s.id)).not.toContain(made.body.id);
  });
});

describe('public routes and the publishable key', () => {
  it('sees the key’s tenant only: its teachers listed, another tenant’s teacher a 404', async () => {
    const a = await tenantWorld(target);
    const b = await tenantWorld(target);
    const listed = await a.api.get('/marketplace/teachers');
    expect(listed.body.teachers.map((t: { id: string }) => t.id)).toEqual([a.s.teacherId]);
    for (const path of [
      `/marketplace/teachers/${b.s.teacherId}/tiers`,
      `/marketplace/teachers/${b.s.teacherId}/weekly-availability`,
      `/marketplace/teachers/${b.s.teacherId}/slots`,
    ]) {
      const response = await a.api.get(path);
      expect([response.status, response.body.error?.code], path).toEqual([404, 'teacher_not_found']);
    }
    const check = await a.api.post('/packages/check-multi-slot-availability', {
      teacherId: b.s.teacherId,
      tierId: b.s.tierId,
      patterns: [{ weekday: 'MONDAY', time: '12:00' }],
    });
    expect([check.status, check.body.error.code]).toEqual([404, 'teacher_not_found']);
  });

  it('takes the key from ?key= on plain links, and refuses an unknown key with 401', async () => {
    const a = await tenantWorld(target);
    const plain = client(target.url);
    const linked = await plain.get(`/marketplace/teachers?key=${a.tenant.publishableKey}`);
    expect(linked.body.teachers.map((t: { id: string }) => t.id)).toEqual([a.s.teacherId]);
    const grid = await plain.get(
      `/marketplace/teachers/${a.s.teacherId}/weekly-availability?weeks=2&key=${a.tenant.publishableKey}`,
    );
    expect(grid.status).toBe(200);
    for (const key of ['pk_unknown', a.tenant.secretKey, 'nonsense']) {
      const response = await withPublishable(key).get('/marketplace/teachers');
      expect([response.status, response.body.error.code], key).toEqual([401, 'unauthorized']);
      expect((await plain.get(`/marketplace/teachers?key=${encodeURIComponent(key)}`)).status).toBe(401);
    }
  });

  it('serves the default tenant without a key when the deployment names one', async () => {
    const s = await buildScenario(target);
    const a = await tenantWorld(target);
    const listed = await client(target.url).get('/marketplace/teachers');
    const ids = listed.body.teachers.map((t: { id: string }) => t.id);
    expect(ids).toContain(s.teacherId);
    expect(ids).not.toContain(a.s.teacherId);
  });

  it('does not tell whether a student id exists in another tenant', async () => {
    const a = await tenantWorld(target);
    const b = await tenantWorld(target);
    const foreign = await a.parent.post(
      '/packages',
      purchaseBody(a.s, [{ weekday: 'TUESDAY', time: '10:00' }], { studentId: b.s.studentId }),
    );
    const unknown = await a.parent.post(
      '/packages',
      purchaseBody(a.s, [{ weekday: 'TUESDAY', time: '10:00' }], { studentId: 'student-nobody' }),
    );
    // The parent token names the children it may buy for: any other id, another tenant's or none, is the
    // same 403.
    expect([foreign.status, foreign.body.error.code]).toEqual([403, 'student_not_in_token']);
    expect([unknown.status, unknown.body.error.code]).toEqual([403, 'student_not_in_token']);
    expect(query(target, 'SELECT count(*) AS n FROM student_packages WHERE student_id = ?', b.s.studentId)).toEqual([
      { n: 1 },
    ]);
  });
});

describe('a deployment without a default tenant', () => {
  let bare: ApiTarget;
  beforeAll(async () => {
    bare = await startTarget({ now: NOW, defaultTenant: false });
  });
  afterAll(async () => {
    await bare?.close();
  });

  it('answers public requests without a key with 401, and serves those with one', async () => {
    const plain = client(bare.url);
    for (const [method, path, body] of [
      ['get', '/marketplace/teachers', undefined],
      [
        'post',
        '/packages/check-multi-slot-availability',
        { teacherId: 'x', recurringSessionCount: 1, patterns: [{ weekday: 'MONDAY', time: '10:00' }] },
      ],
      ['get', '/packages/some-package', undefined],
    ] as const) {
      const response = await plain[method](path, body);
      expect([response.status, response.body.error.code], path).toEqual([401, 'unauthorized']);
    }
    const a = await tenantWorld(bare);
    expect((await a.api.get('/marketplace/teachers')).body.teachers).toHaveLength(1);
    expect((await a.parent.get(`/packages/${a.pack.id}`)).status).toBe(200);
  });
});

describe('CORS per tenant', () => {
  it('lets a browser read a tenant’s answers from that tenant’s origins only', async () => {
    const a = await tenantWorld(target, { allowedOrigins: ['https://a.example'] });
    await tenantWorld(target, { allowedOrigins: ['https://b.example'] });
    // The default tenant (null: the deployment's `*`) would allow every origin; this test wants none to.
    const store = openNodeStore(target.databasePath);
    try {
      await store.db
        .updateTable('tenants')
        .set({ allowed_origins: JSON.stringify(['https://default.example']) })
        .where('allowed_origins', 'is', null)
        .execute();
    } finally {
      await store.close();
    }
    // A fresh tenant makes the server reload every tenant's origins.
    await tenantWorld(target, { allowedOrigins: ['https://c.example'] });
    const read = (origin: string) =>
      fetch(`${target.url}/marketplace/teachers`, {
        headers: { origin, 'x-publishable-key': a.tenant.publishableKey },
      });
    const own = await read('https://a.example');
    expect(own.status).toBe(200);
    expect(own.headers.get('access-control-allow-origin')).toBe('https://a.example');
    expect(own.headers.get('vary')).toMatch(/origin/i);
    // Another tenant's origin: served (no browser involved), but not readable by that page.
    const other = await read('https://b.example');
    expect(other.status).toBe(200);
    expect(other.headers.get('access-control-allow-origin')).toBeNull();

    const preflight = (origin: string) =>
      fetch(`${target.url}/packages`, {
        method: 'OPTIONS',
        headers: {
          origin,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'content-type,x-publishable-key',
        },
      });
    // A preflight carries no key: any tenant's origin passes it, the answer itself then decides.
    const allowed = await preflight('https://b.example');
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://b.example');
    expect(allowed.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('x-publishable-key');
    const stranger = await preflight('https://evil.example');
    expect(stranger.headers.get('access-control-allow-origin')).toBeNull();
    // A refusal before the tenant is known can be read by a page some tenant allows.
    const wrongKey = await fetch(`${target.url}/marketplace/teachers`, {
      headers: { origin: 'https://b.example', 'x-publishable-key': 'pk_wrong' },
    });
    expect(wrongKey.status).toBe(401);
    expect(wrongKey.headers.get('access-control-allow-origin')).toBe('https://b.example');
  });
});

interface Received {
  headers: IncomingMessage['headers'];
  body: string;
}

async function receiver() {
  const received: Received[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      received.push({ headers: req.headers, body });
      res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('webhooks per tenant', () => {
  it('delivers each tenant’s outbox to its own webhook, signed with its own secret', async () => {
    const [hookA, hookB, fallback] = [await receiver(), await receiver(), await receiver()];
    const store = openNodeStore(target.databasePath);
    try {
      // Rows written so far (other tests') are out of the way: this sweep is about what comes next.
      await store.db
        .updateTable('notifications')
        .set({ delivered_at: NOW })
        .where('delivered_at', 'is', null)
        .execute();
      const a = await tenantWorld(target, { webhookUrl: hookA.url });
      const b = await tenantWorld(target, { webhookUrl: hookB.url });
      const quiet = await tenantWorld(target);
      const s = await buildScenario(target);
      const own = await s.parent.api.post('/packages', purchaseBody(s, [{ weekday: 'WEDNESDAY', time: '10:00' }]));
      expect(own.status).toBe(201);
      // The database stamps purchase rows with its own clock: sweep after both it and the pinned one.
      const now = new Date(Math.max(Date.now(), Date.parse(NOW)) + 60_000);
      const report = await deliverDue(store, { now, webhookUrl: fallback.url, secret: 'whsec-fallback' });
      expect(report).toMatchObject({ claimed: 3, delivered: 3, failed: [] });
      for (const [hook, world] of [
        [hookA, a],
        [hookB, b],
      ] as const) {
        expect(hook.received).toHaveLength(1);
        const { headers, body } = hook.received[0]!;
        expect(JSON.parse(body)).toMatchObject({ type: 'pack.purchased', data: { packageId: world.pack.id } });
        const [t, v1] = String(headers['x-smartpack-signature'])
          .split(',')
          .map((part) => part.split('=')[1]);
        expect(v1).toBe(createHmac('sha256', world.tenant.webhookSecret!).update(`${t}.${body}`).digest('hex'));
      }
      // The deployment's webhook serves the default tenant only.
      expect(fallback.received.map((r) => JSON.parse(r.body).data.packageId)).toEqual([own.body.id]);
      // A tenant without a webhook keeps its rows, unattempted, until it names one.
      expect(
        query(target, 'SELECT attempts, delivered_at FROM notifications WHERE package_id = ?', quiet.pack.id),
      ).toEqual([{ attempts: 0, delivered_at: null }]);
    } finally {
      await store.close();
      await Promise.all([hookA.close(), hookB.close(), fallback.close()]);
    }
  });
});

describe('PATCH /admin/tenants/:id', () => {
  it('changes only what is sent, and the change applies to the next purchase', async () => {
    const tenant = await createTenant(target, { paymentMode: 'required', holdMinutes: 10 });
    const s = await buildScenario(target, { keys: tenant });
    const patched = await operator().patch(`/admin/tenants/${tenant.id}`, {
      paymentMode: 'none',
      limits: { purchasesPerHourPerParent: 1 },
    });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({
      id: tenant.id,
      name: tenant.name,
      holdMinutes: 10,
      paymentMode: 'none',
      limits: { purchasesPerHourPerParent: 1, maxOpenPurchases: null },
      webhookSecret: null,
    });
    // Confirmed at purchase now, and the tenant's own limit of one purchase an hour holds.
    const first = await s.parent.api.post('/packages', purchaseBody(s, [{ weekday: 'MONDAY', time: '10:00' }]));
    expect([first.status, first.body.state]).toEqual([201, 'active']);
    const second = await s.parent.api.post('/packages', purchaseBody(s, [{ weekday: 'TUESDAY', time: '10:00' }]));
    expect([second.status, second.body.error.code]).toEqual([429, 'rate_limited']);
    // null gives the limit back to the deployment.
    const cleared = await operator().patch(`/admin/tenants/${tenant.id}`, {
      limits: { purchasesPerHourPerParent: null },
    });
    expect(cleared.body.limits.purchasesPerHourPerParent).toBeNull();
    const listed = (await operator().get('/admin/tenants')).body.tenants.find(
      (t: { id: string }) => t.id === tenant.id,
    );
    expect(listed).toMatchObject({ paymentMode: 'none', limits: { purchasesPerHourPerParent: null } });
  });

  it('gives a first webhook URL a secret shown once, rotates it on request, and clears it with the URL', async () => {
    const tenant = await createTenant(target);
    const secretOf = () =>
      query<{ s: string | null }>(target, 'SELECT webhook_secret AS s FROM tenants WHERE id = ?', tenant.id)[0]!.s;
    const added = await operator().patch(`/admin/tenants/${tenant.id}`, { webhookUrl: 'https://school.example/hooks' });
    expect(added.body.webhookSecret).toMatch(/^whsec_/);
    expect(secretOf()).toBe(added.body.webhookSecret);
    const renamed = await operator().patch(`/admin/tenants/${tenant.id}`, { name: 'Renamed school' });
    expect([renamed.body.name, renamed.body.webhookSecret]).toEqual(['Renamed school', null]);
    expect(secretOf()).toBe(added.body.webhookSecret);
    const rotated = await operator().patch(`/admin/tenants/${tenant.id}`, { rotateWebhookSecret: true });
    expect(rotated.body.webhookSecret).toMatch(/^whsec_/);
    expect(rotated.body.webhookSecret).not.toBe(added.body.webhookSecret);
    const removed = await operator().patch(`/admin/tenants/${tenant.id}`, { webhookUrl: null });
    expect([removed.body.webhookUrl, secretOf()]).toEqual([null, null]);
  });

  it('lets a browser on a newly allowed origin read the tenant’s answers at once', async () => {
    const tenant = await createTenant(target, { allowedOrigins: ['https://old.example'] });
    const fromOrigin = (origin: string) =>
      fetch(`${target.url}/marketplace/teachers`, { headers: { origin, 'x-publishable-key': tenant.publishableKey } });
    expect((await fromOrigin('https://new.example')).headers.get('access-control-allow-origin')).toBeNull();
    await operator().patch(`/admin/tenants/${tenant.id}`, { allowedOrigins: ['https://new.example'] });
    expect((await fromOrigin('https://new.example')).headers.get('access-control-allow-origin')).toBe(
      'https://new.example',
    );
  });

  it('refuses an empty change, an unknown field or tenant, and a tenant’s own secret key', async () => {
    const tenant = await createTenant(target);
    expect((await operator().patch(`/admin/tenants/${tenant.id}`, {})).status).toBe(400);
    expect((await operator().patch(`/admin/tenants/${tenant.id}`, { signingSecret: 'x' })).status).toBe(400);
    expect((await operator().patch(`/admin/tenants/${tenant.id}`, { holdMinutes: 500 })).status).toBe(400);
    const unknown = await operator().patch('/admin/tenants/tnt_nobody', { name: 'X' });
    expect([unknown.status, unknown.body.error.code]).toEqual([404, 'tenant_not_found']);
    expect((await withSecret(tenant.secretKey).patch(`/admin/tenants/${tenant.id}`, { name: 'Mine' })).status).toBe(
      404,
    );
    const after = (await operator().get('/admin/tenants')).body.tenants.find((t: { id: string }) => t.id === tenant.id);
    expect(after.name).toBe(tenant.name);
  });
});
