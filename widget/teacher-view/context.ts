import type { Attendance, TeacherSession, TimeOffPreview } from '../../api/contract/teacher.js';
import type { StudentNoShow, TimeOffEntry } from '../../api/contract/wire.js';
import { formatClock, formatDate, instantIn } from '../format.js';
import type { Strings } from './i18n.js';

/** An irreversible action waiting for the teacher's yes; `from` is where the focus goes back on "Keep". */
export type Confirm =
  | { kind: 'delete'; timeOffId: string; from: string }
  | { kind: 'attendance'; sessionId: string; outcome: Attendance; from: string };

/** The time off form's fields, as typed: teacher-local dates and times. */
export interface TimeOffForm {
  fromDate: string;
  fromTime: string;
  toDate: string;
  toTime: string;
  reason: string;
}

/** The outcome of the last action, shown in its section. */
export interface Message {
  section: 'week' | 'time-off' | 'schedule';
  kind: 'ok' | 'error';
  text: string;
  /** The session or time off it is about, when it is about one. */
  about?: string;
}

/** The element's answers to the teacher's gestures outside the grid. */
export interface TeacherActions {
  editForm(field: keyof TimeOffForm, value: string): void;
  preview(): void;
  saveTimeOff(): void;
  askDelete(entry: TimeOffEntry): void;
  askAttendance(session: TeacherSession, outcome: Attendance): void;
  confirm(): void;
  keep(): void;
}

export interface TeacherContext {
  t: Strings;
  locale: string;
  /** The teacher's IANA zone: every date and time is shown in it. */
  zone: string;
  /** The school's rule for a student's no-show, which the confirmation spells out. */
  studentNoShow: StudentNoShow;
  busy: boolean;
  confirming: Confirm | null;
  message: Message | null;
  actions: TeacherActions;
}

export interface TimeOffView {
  form: TimeOffForm;
  /** The preview of exactly the form's current values, once asked. */
  preview: TimeOffPreview | null;
  entries: TimeOffEntry[];
}

/** "Mon, Jan 12 · 16:00" for an instant, in the teacher's zone. */
export function at(c: Pick<TeacherContext, 'locale' | 'zone'>, iso: string): string {
  const local = instantIn(Date.parse(iso), c.zone);
  return `${formatDate(c.locale, local.date)} · ${formatClock(c.locale, local.time)}`;
}

/** A CSS selector for the element that has `data-focus-key=key` (where the focus returns). */
export const focusKey = (key: string): string => `[data-focus-key="${key}"]`;
