/**
 * In-page fake of the teacher's API (`/teacher/*` under a teacher token), installed as `window.fetch`. Its
 * answers are typed with the contract's own shapes (api/contract/teacher.ts and wire.ts), so what the element
 * relies on is checked at compile time against what the API promises.
 *
 * Teacher `t1`, Amna Hassan, in Africa/Khartoum (UTC+2, no DST). Week: Monday 16:00–18:00 and Wednesday
 * 09:00–12:00. Sessions relative to the real now: `s1` started an hour ago (still scheduled: attendance can
 * be recorded), `s2` tomorrow at 16:00 Khartoum (flagged by time off, with two alternatives), `s3` in three
 * days at 16:00, a single lesson. One time off, ten days ahead.
 */
import type { AvailabilityRule } from '../../api/core/types.js';
import type {
  AvailabilityRules,
  FlaggedSession,
  StudentNoShow,
  TimeOffEntry,
  TimeOffList,
  TimeOffOutcome,
} from '../../api/contract/wire.js';
import type {
  Attendance,
  AttendanceOutcome,
  TeacherProfile,
  TeacherSchedule,
  TeacherSession,
  TimeOffPreview,
} from '../../api/contract/teacher.js';

export const TEACHER_TOKEN = 'teacher-token-t1';
const OFFSET_MS = 2 * 3_600_000;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** Today's date in Khartoum. */
export const todayLocal = (): string => new Date(Date.now() + OFFSET_MS).toISOString().slice(0, 10);
export const plusDays = (date: string, n: number): string =>
  new Date(Date.parse(`${date}T00:00:00Z`) + n * DAY).toISOString().slice(0, 10);
/** The UTC instant of a Khartoum wall clock. */
export const khartoum = (date: string, time: string): string =>
  new Date(Date.parse(`${date}T${time}:00.000Z`) - OFFSET_MS).toISOString();

const json = (body: unknown, status = 200) =>
  Promise.resolve(new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } }));
const error = (status: number, code: string, message: string) =>
  json({ error: { code, message, details: {} } }, status);

export interface Request {
  method: string;
  path: string;
  body: unknown;
  authorization: string | null;
}

export class FakeTeacherApi {
  readonly requests: Request[] = [];
  /** The school's rule for a student's no-show, as `/teacher/me` says it. */
  studentNoShow: StudentNoShow = 'release';
  rules: AvailabilityRule[] = [
    { weekday: 'MONDAY', startTime: '16:00', endTime: '18:00' },
    { weekday: 'WEDNESDAY', startTime: '09:00', endTime: '12:00' },
  ];
  timeOff: TimeOffEntry[];
  sessions: TeacherSession[];
  /** The next PUT of the rules answers this refusal. */
  refuseRules: { status: number; code: string; message: string } | null = null;
  private original = window.fetch;
  private nextId = 1;

  constructor() {
    const today = todayLocal();
    const start1 = new Date(Math.floor((Date.now() - HOUR) / 60_000) * 60_000).toISOString();
    const base = {
      packageId: 'p1',
      subjectId: 'math',
      tierName: '8-session pack',
      tierNameAr: 'باقة 8 حصص',
      status: 'scheduled' as const,
      attendance: null,
      flaggedReason: null,
      alternatives: [],
    };
    this.sessions = [
      {
        ...base,
        id: 's1',
        sessionNumber: 1,
        startUtc: start1,
        endUtc: new Date(Date.parse(start1) + HOUR).toISOString(),
        studentName: 'Sara Ali',
        studentNameAr: 'سارة علي',
      },
      {
        ...base,
        id: 's2',
        sessionNumber: 2,
        startUtc: khartoum(plusDays(today, 1), '16:00'),
        endUtc: khartoum(plusDays(today, 1), '17:00'),
        studentName: 'Sara Ali',
        studentNameAr: 'سارة علي',
        flaggedReason: 'teacher_time_off',
        alternatives: [khartoum(plusDays(today, 2), '10:00'), khartoum(plusDays(today, 2), '11:00')],
      },
      {
        ...base,
        id: 's3',
        packageId: null,
        sessionNumber: null,
        tierName: null,
        tierNameAr: null,
        startUtc: khartoum(plusDays(today, 3), '16:00'),
        endUtc: khartoum(plusDays(today, 3), '17:00'),
        studentName: 'Omar Musa',
        studentNameAr: null,
      },
    ];
    this.timeOff = [
      {
        id: 'to1',
        startUtc: khartoum(plusDays(today, 10), '00:00'),
        endUtc: khartoum(plusDays(today, 11), '00:00'),
        reason: 'Conference',
      },
    ];
  }

  install(): this {
    this.original = window.fetch;
    window.fetch = (input, init) => this.handle(input, init);
    return this;
  }

  uninstall(): void {
    window.fetch = this.original;
  }

  last(method: string, path: string): Request | undefined {
    return [...this.requests].reverse().find((r) => r.method === method && r.path === path);
  }

  private covered(startUtc: string, endUtc: string): FlaggedSession[] {
    return this.sessions
      .filter((s) => s.status === 'scheduled' && s.startUtc < endUtc && s.endUtc > startUtc)
      .map(({ id, packageId, sessionNumber, startUtc: start, endUtc: end }) => ({
        id,
        packageId,
        sessionNumber,
        startUtc: start,
        endUtc: end,
      }));
  }

  private async handle(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
    const url = new URL(input instanceof Request ? input.url : String(input), location.href);
    const method = (init?.method ?? 'GET').toUpperCase();
    const body: unknown = typeof init?.body === 'string' ? JSON.parse(init.body) : undefined;
    const headers = new Headers(init?.headers);
    const authorization = headers.get('authorization');
    this.requests.push({ method, path: url.pathname + url.search, body, authorization });
    if (authorization !== `Bearer ${TEACHER_TOKEN}`) return error(401, 'unauthorized', 'A teacher token is required');
    const path = url.pathname;
    if (method === 'GET' && path === '/teacher/me') {
      const me: TeacherProfile = {
        id: 't1',
        name: 'Amna Hassan',
        nameAr: 'آمنة حسن',
        timezone: 'Africa/Khartoum',
        durationMinutes: 60,
        subjectIds: ['math'],
        studentNoShow: this.studentNoShow,
      };
      return json(me);
    }
    if (path === '/teacher/availability-rules') {
      if (method === 'PUT') {
        if (this.refuseRules) {
          const r = this.refuseRules;
          this.refuseRules = null;
          return error(r.status, r.code, r.message);
        }
        this.rules = (body as { rules: AvailabilityRule[] }).rules;
      }
      const answer: AvailabilityRules = {
        teacherId: 't1',
        rules: this.rules.map((r, i) => ({ id: `r${i + 1}`, ...r })),
      };
      return json(answer);
    }
    if (method === 'GET' && path === '/teacher/time-off') {
      const list: TimeOffList = { teacherId: 't1', timeOff: this.timeOff };
      return json(list);
    }
    if (method === 'POST' && path === '/teacher/time-off/preview') {
      const { startUtc, endUtc } = body as { startUtc: string; endUtc: string };
      const preview: TimeOffPreview = { startUtc, endUtc, flaggedSessions: this.covered(startUtc, endUtc) };
      return json(preview);
    }
    if (method === 'POST' && path === '/teacher/time-off') {
      const { startUtc, endUtc, reason = null } = body as { startUtc: string; endUtc: string; reason?: string };
      const flaggedSessions = this.covered(startUtc, endUtc);
      for (const f of flaggedSessions) {
        const s = this.sessions.find((x) => x.id === f.id)!;
        s.flaggedReason = 'teacher_time_off';
      }
      const entry: TimeOffEntry = { id: `to-new-${this.nextId++}`, startUtc, endUtc, reason };
      this.timeOff = [...this.timeOff, entry];
      const outcome: TimeOffOutcome = { ...entry, teacherId: 't1', flaggedSessions };
      return json(outcome, 201);
    }
    const timeOff = /^\/teacher\/time-off\/([^/]+)$/.exec(path);
    if (method === 'DELETE' && timeOff) {
      const id = decodeURIComponent(timeOff[1]!);
      if (!this.timeOff.some((e) => e.id === id)) return error(404, 'time_off_not_found', 'No such time off');
      this.timeOff = this.timeOff.filter((e) => e.id !== id);
      return Promise.resolve(new Response(null, { status: 204 }));
    }
    if (method === 'GET' && path === '/teacher/sessions') {
      const schedule: TeacherSchedule = {
        teacherId: 't1',
        timezone: 'Africa/Khartoum',
        from: new Date(Date.now() - DAY).toISOString(),
        to: new Date(Date.now() + 28 * DAY).toISOString(),
        sessions: [...this.sessions].sort((a, b) => a.startUtc.localeCompare(b.startUtc)),
      };
      return json(schedule);
    }
    const attendance = /^\/teacher\/sessions\/([^/]+)\/attendance$/.exec(path);
    if (method === 'POST' && attendance) {
      const s = this.sessions.find((x) => x.id === decodeURIComponent(attendance[1]!));
      if (!s) return error(404, 'session_not_found', 'No such session');
      if (Date.parse(s.startUtc) > Date.now())
        return error(409, 'session_not_started', 'The session has not started yet');
      const outcome = (body as { outcome: Attendance }).outcome;
      s.attendance = outcome;
      s.status = outcome === 'completed' ? 'completed' : outcome === 'student_no_show' ? 'no_show' : 'cancelled';
      const answer: AttendanceOutcome = {
        session: { ...s },
        releasedMinor: outcome === 'teacher_no_show' ? 0 : 7500,
        creditReturned: outcome === 'teacher_no_show',
        recorded: true,
      };
      return json(answer);
    }
    return error(404, 'not_found', `No route ${method} ${path}`);
  }
}
