/**
 * The calls `<smart-pack-teacher>` makes under the teacher token, typed by the contract's wire shapes
 * (api/contract/teacher.ts). Plain `fetch` through the grid's JSON reader: the `/teacher/*` routes are written
 * beside this element, and the shapes, not the route table, are what both sides agreed on first.
 */
import type { AvailabilityRule } from '../../api/contract/wire.js';
import type { AvailabilityRules, TimeOffList, TimeOffOutcome } from '../../api/contract/wire.js';
import type {
  Attendance,
  AttendanceOutcome,
  TeacherProfile,
  TeacherSchedule,
  TimeOffPreview,
} from '../../api/contract/teacher.js';
import { bearer, readJson } from '../api-client.js';

export interface TimeOffRange {
  startUtc: string;
  endUtc: string;
}

/** The calls the teacher element makes; swap it (e.g. to add headers) via the `client` property. */
export interface TeacherClient {
  me(signal?: AbortSignal): Promise<TeacherProfile>;
  rules(signal?: AbortSignal): Promise<AvailabilityRules>;
  /** `PUT /teacher/availability-rules`: the whole week at once. */
  saveRules(rules: AvailabilityRule[]): Promise<AvailabilityRules>;
  timeOff(signal?: AbortSignal): Promise<TimeOffList>;
  /** What a time off would flag; writes nothing. */
  previewTimeOff(range: TimeOffRange): Promise<TimeOffPreview>;
  addTimeOff(body: TimeOffRange & { reason?: string | null }): Promise<TimeOffOutcome>;
  removeTimeOff(id: string): Promise<void>;
  /** The API's default window (from a day ago, four weeks ahead) unless `query` names one. */
  sessions(query?: { from?: string; to?: string }, signal?: AbortSignal): Promise<TeacherSchedule>;
  attendance(sessionId: string, outcome: Attendance): Promise<AttendanceOutcome>;
}

/** @param token the teacher token, read per call (the element's `token` may change). */
export function createTeacherClient(
  apiBase: string,
  fetchImpl?: typeof fetch,
  token: () => string = () => '',
): TeacherClient {
  const base = apiBase.replace(/\/+$/, '');
  const e = encodeURIComponent;
  const call = <T>(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<T> => {
    const headers: Record<string, string> = { accept: 'application/json', ...bearer(token()) };
    const init: RequestInit = { method, headers, signal: signal ?? null };
    if (body !== undefined) {
      init.body = JSON.stringify(body);
      headers['content-type'] = 'application/json';
    }
    return readJson<T>((fetchImpl ?? globalThis.fetch)(`${base}${path}`, init));
  };
  return {
    me: (signal) => call('GET', '/teacher/me', undefined, signal),
    rules: (signal) => call('GET', '/teacher/availability-rules', undefined, signal),
    saveRules: (rules) => call('PUT', '/teacher/availability-rules', { rules }),
    timeOff: (signal) => call('GET', '/teacher/time-off', undefined, signal),
    previewTimeOff: (range) => call('POST', '/teacher/time-off/preview', range),
    addTimeOff: (body) => call('POST', '/teacher/time-off', body),
    removeTimeOff: (id) => call('DELETE', `/teacher/time-off/${e(id)}`),
    sessions: (query = {}, signal) => {
      const search = new URLSearchParams(Object.entries(query).filter((q): q is [string, string] => !!q[1]));
      return call('GET', `/teacher/sessions${search.size ? `?${search}` : ''}`, undefined, signal);
    },
    attendance: (sessionId, outcome) => call('POST', `/teacher/sessions/${e(sessionId)}/attendance`, { outcome }),
  };
}
