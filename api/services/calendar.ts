import type { PackageRecord } from '../db/repositories/packages.js';

/*
 * A package's sessions as an iCalendar feed (RFC 5545) a parent subscribes to. Events keep their
 * UID across reschedules (sessions move in place) and carry SEQUENCE = the session's revision, so
 * a calendar updates the event instead of adding a second one; sessions turned into floating
 * credits stay in the feed as STATUS:CANCELLED so subscribed calendars drop them.
 */

const CRLF = '\r\n';
const MAX_OCTETS = 75;

/** RFC 5545 §3.3.11 TEXT: backslash, semicolon, comma and newlines are escaped. */
export function escapeText(value: string): string {
  return value
    .replace(/\\/g, '\\\\')
    .replace(/;/g, '\\;')
    .replace(/,/g, '\\,')
    .replace(/\r\n|\r|\n/g, '\\n');
}

/**
 * RFC 5545 §3.1: lines longer than 75 octets are folded with CRLF + one space. Counting is in
 * UTF-8 octets and a fold never splits a character (Arabic names are two octets per letter).
 */
export function foldLine(line: string): string {
  const encoder = new TextEncoder();
  const parts: string[] = [];
  let current = '';
  let octets = 0;
  let limit = MAX_OCTETS;
  for (const char of line) {
    const size = encoder.encode(char).length;
    if (octets + size > limit) {
      parts.push(current);
      current = '';
      octets = 0;
      // Continuation lines begin with the space, which counts towards their 75 octets.
      limit = MAX_OCTETS - 1;
    }
    current += char;
    octets += size;
  }
  parts.push(current);
  return parts.join(`${CRLF} `);
}

/** `2026-12-02T15:00:00.000Z` → `20261202T150000Z` (a UTC DATE-TIME, §3.3.5 form 2). */
export function icsDateTime(iso: string): string {
  return new Date(iso)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

export interface CalendarOptions {
  now: Date;
  /** Domain part of event UIDs, stable per deployment. */
  uidDomain?: string;
  /** The parent's language (BCP 47): `ar…` writes the titles and notes in Arabic; anything else English. */
  lang?: string | undefined;
}

type Session = PackageRecord['sessions'][number];

/** The feed's words in one language: every sentence of a title or a note. */
interface FeedText {
  calendarName: (title: string) => string;
  title: (subject: string, teacher: string) => string;
  /** ` · session 3 of 10`. */
  number: (n: number, of: number) => string;
  kind: (kind: Session['kind'], n: number | null, of: number) => string;
  flagged: string;
  held: string;
  lapsed: string;
  holdCancelled: string;
  packCancelled: string;
  floated: string;
  completed: string;
}

const EN: FeedText = {
  calendarName: (title) => `Smart Pack · ${title}`,
  title: (subject, teacher) => `${subject} with ${teacher}`,
  number: (n, of) => ` · session ${n} of ${of}`,
  kind: (kind, n, of) => `Smart Pack ${kind} session${n === null ? '' : ` ${n} of ${of}`}.`,
  flagged: 'The teacher is not available at this time: please reschedule it or turn it into a floating session.',
  held: 'Held until the payment is confirmed.',
  lapsed: 'Cancelled: the hold lapsed before the payment came.',
  holdCancelled: 'Cancelled: the purchase was cancelled before payment.',
  packCancelled: 'Cancelled with the package: its share was refunded.',
  floated: 'Cancelled: this session became a floating credit.',
  completed: 'Completed.',
};

const AR: FeedText = {
  calendarName: (title) => `الباقة الذكية · ${title}`,
  title: (subject, teacher) => `${subject} مع ${teacher}`,
  number: (n, of) => ` · الحصة ${n} من ${of}`,
  kind: (kind, n, of) =>
    `${kind === 'floating' ? 'حصة مرنة' : 'حصة أسبوعية'} من الباقة الذكية${n === null ? '' : `، الحصة ${n} من ${of}`}.`,
  flagged: 'المعلم غير متاح في هذا الوقت: يرجى تغيير موعدها أو تحويلها إلى حصة مرنة.',
  held: 'محجوزة حتى يتأكد الدفع.',
  lapsed: 'أُلغيت: انتهت مهلة الحجز قبل وصول الدفع.',
  holdCancelled: 'أُلغيت: أُلغي الشراء قبل الدفع.',
  packCancelled: 'أُلغيت مع الباقة: استُرد نصيبها من المبلغ.',
  floated: 'أُلغيت: تحولت هذه الحصة إلى رصيد حصة مرنة.',
  completed: 'مكتملة.',
};

/** Arabic for a tag whose primary language is `ar` (`ar`, `ar-SD`); English otherwise. */
export function feedLanguage(lang: string | undefined): 'ar' | 'en' {
  return lang?.split('-')[0]?.toLowerCase() === 'ar' ? 'ar' : 'en';
}

export function packageCalendar(record: PackageRecord, options: CalendarOptions): string {
  const domain = options.uidDomain ?? 'smart-pack-grid';
  const stamp = icsDateTime(options.now.toISOString());
  const arabic = feedLanguage(options.lang) === 'ar';
  const t = arabic ? AR : EN;
  // The school may give no Arabic name: the name it gave is still the teacher's.
  const title = arabic
    ? t.title(record.subjectNameAr || record.subjectName, record.teacherNameAr || record.teacherName)
    : t.title(record.subjectName, record.teacherName);
  const lines: string[] = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    `PRODID:-//Smart Pack Grid//Package calendar//${arabic ? 'AR' : 'EN'}`,
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    `X-WR-CALNAME:${escapeText(t.calendarName(title))}`,
    `X-WR-TIMEZONE:${record.timezone}`,
    'REFRESH-INTERVAL;VALUE=DURATION:PT1H',
    'X-PUBLISHED-TTL:PT1H',
  ];
  const language = arabic ? ';LANGUAGE=ar' : ';LANGUAGE=en';
  // Unpaid: tentative while the hold lives, cancelled once it lapsed (derived from the clock, like the view).
  const held = record.holdExpiresAt !== null && record.status !== 'cancelled';
  const lapsed = held && options.now.toISOString() >= record.holdExpiresAt!;
  for (const session of record.sessions) {
    const cancelled = session.status === 'cancelled' || (lapsed && session.status === 'scheduled');
    const number = session.sessionNumber === null ? '' : t.number(session.sessionNumber, record.sessionCount);
    const notes = [
      t.kind(session.kind, session.sessionNumber, record.sessionCount),
      session.status === 'scheduled' && session.flaggedReason ? t.flagged : null,
      held && !lapsed && session.status === 'scheduled' ? t.held : null,
      lapsed && session.status === 'scheduled' ? t.lapsed : null,
      session.status === 'cancelled'
        ? session.cancelReason === 'hold_cancelled'
          ? t.holdCancelled
          : session.cancelReason === 'pack_cancelled'
            ? t.packCancelled
            : t.floated
        : null,
      session.status === 'completed' ? t.completed : null,
    ].filter((n): n is string => n !== null);
    lines.push(
      'BEGIN:VEVENT',
      `UID:${session.id}@${domain}`,
      `DTSTAMP:${stamp}`,
      `DTSTART:${icsDateTime(session.startUtc)}`,
      `DTEND:${icsDateTime(session.endUtc)}`,
      `SUMMARY${language}:${escapeText(`${title}${number}`)}`,
      `DESCRIPTION${language}:${escapeText(notes.join('\n'))}`,
      `STATUS:${cancelled ? 'CANCELLED' : (session.flaggedReason || held) && session.status === 'scheduled' ? 'TENTATIVE' : 'CONFIRMED'}`,
      // A lapse writes nothing: the sequence moves on by itself so calendar apps take the change.
      `SEQUENCE:${session.revision + (lapsed && session.status === 'scheduled' ? 1 : 0)}`,
      `LAST-MODIFIED:${icsDateTime(session.updatedAt)}`,
      'TRANSP:OPAQUE',
      'END:VEVENT',
    );
  }
  lines.push('END:VCALENDAR');
  return lines.map(foldLine).join(CRLF) + CRLF;
}
