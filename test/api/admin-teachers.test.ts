import { DEFAULT_TENANT_ID } from '../../api/contract/auth.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client } from '../support/http.js';
import { query } from '../support/lifecycle.js';
import { ADMIN_KEY, startSharedTarget, tempDatabasePath, type SharedTarget } from '../support/target.js';
import { migrate } from '../../api/db/migrate-node.js';
import { openNodeStore } from '../../api/db/node.js';
import { createTeacherStatements } from '../../api/db/repositories/admin.js';

const NOW = '2026-11-30T06:00:00.000Z';
const AUTH = { authorization: `Bearer ${ADMIN_KEY}` };

let shared: SharedTarget;
beforeAll(async () => {
  shared = await startSharedTarget({ now: NOW });
}, 90_000);
afterAll(async () => {
  await shared?.close();
});

const IDS = 10;
const CREATES = 8;
const teacher = (id: string, n: number, subjectId: string) => ({
  id,
  name: `Creator ${n}`,
  timezone: 'Africa/Khartoum',
  hourlyRateMinor: 1000 + n,
  currency: 'SDG',
  subjectIds: [subjectId],
});

describe('POST /admin/teachers', () => {
  it('lets exactly one of several concurrent creates of one id win; the others get 409 and change nothing', async () => {
    const admins = shared.urls.map((url) => client(url, AUTH));
    const subjects: string[] = [];
    for (let n = 0; n < CREATES; n++) {
      const subject = await admins[0]!.post('/admin/subjects', { id: `contested-subject-${n}`, name: `Subject ${n}` });
      expect(subject.status).toBe(201);
      subjects.push(subject.body.id);
    }
    // Several ids at once, each created by every creator, spread over the servers: the check-then-write
    // window of one request is short, so one contested id alone rarely shows a lost update.
    const ids = Array.from({ length: IDS }, (_, i) => `contested-teacher-${i}`);
    const sends = ids.flatMap((id) =>
      subjects.map((subjectId, n) => ({
        id,
        send: () => admins[n % admins.length]!.post('/admin/teachers', teacher(id, n, subjectId)),
      })),
    );
    const responses = await Promise.all(sends.map((x) => x.send()));

    for (const id of ids) {
      const mine = responses.filter((_, i) => sends[i]!.id === id);
      expect(mine.map((r) => r.status).sort(), id).toEqual([201, ...Array(CREATES - 1).fill(409)]);
      for (const lost of mine.filter((r) => r.status === 409)) expect(lost.body.error.code).toBe('already_exists');
      const won = mine.findIndex((r) => r.status === 201);
      expect(mine[won]!.body).toEqual({
        id,
        name: `Creator ${won}`,
        nameAr: null,
        bio: null,
        timezone: 'Africa/Khartoum',
        hourlyRateMinor: 1000 + won,
        currency: 'SDG',
        minNoticeMinutes: 1440,
        horizonDays: 182,
        subjectIds: [subjects[won]],
      });
      // What the winner was told is what is stored: no loser overwrote its row or added its subject.
      const stored = await admins[0]!.get(`/admin/teachers/${id}`);
      expect(stored.body).toEqual(mine[won]!.body);
      expect(query(shared.databasePath, 'SELECT subject_id FROM teacher_subjects WHERE teacher_id = ?', id)).toEqual([
        { subject_id: subjects[won] },
      ]);
    }
  });

  it('answers 201 with the stored teacher, and 409 already_exists for an id that exists', async () => {
    const admin = client(shared.urls[0]!, AUTH);
    const body = {
      id: 'plain-teacher',
      name: 'Plain',
      timezone: 'Africa/Khartoum',
      hourlyRateMinor: 5,
      currency: 'SDG',
    };
    const created = await admin.post('/admin/teachers', body);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ id: 'plain-teacher', name: 'Plain', subjectIds: [] });
    expect((await admin.get('/admin/teachers/plain-teacher')).body).toEqual(created.body);
    const again = await admin.post('/admin/teachers', { ...body, name: 'Overwritten?' });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('already_exists');
    expect((await admin.get('/admin/teachers/plain-teacher')).body.name).toBe('Plain');
    const noId = await admin.post('/admin/teachers', { ...body, id: undefined, subjectIds: ['no-such-subject'] });
    expect(noId.status).toBe(422);
    expect(noId.body.error.code).toBe('unknown_reference');
  });
});

describe('createTeacherStatements', () => {
  // Over HTTP on Node the check-then-write window of the old handler was too short to hit (no I/O
  // wait between them); two batches for one id are what two creates that both passed it would send.
  it('lets the database refuse a second create of one id, keeping the first row and its subjects', async () => {
    const file = tempDatabasePath('smart-pack-create-');
    const store = openNodeStore(file.path);
    try {
      migrate(store.sqlite);
      store.sqlite.exec(
        `INSERT INTO subjects (id, name) VALUES ('first-subject', 'First'), ('second-subject', 'Second')`,
      );
      const input = (name: string, subjectId: string) => ({
        name,
        timezone: 'Africa/Khartoum',
        hourlyRateMinor: 1,
        currency: 'SDG',
        subjectIds: [subjectId],
      });
      await store.batch(
        createTeacherStatements(store.db, DEFAULT_TENANT_ID, 'one-id', input('First', 'first-subject')),
      );
      const second = await store
        .batch(createTeacherStatements(store.db, DEFAULT_TENANT_ID, 'one-id', input('Second', 'second-subject')))
        .catch((e: unknown) => e);
      expect(second).toBeInstanceOf(Error);
      expect(String((second as Error).message)).toMatch(/UNIQUE constraint failed: teachers\.id/);
      expect(store.sqlite.prepare(`SELECT name FROM teachers WHERE id = 'one-id'`).all()).toEqual([{ name: 'First' }]);
      expect(store.sqlite.prepare(`SELECT subject_id FROM teacher_subjects WHERE teacher_id = 'one-id'`).all()).toEqual(
        [{ subject_id: 'first-subject' }],
      );
    } finally {
      await store.close();
      file.cleanup();
    }
  });
});
