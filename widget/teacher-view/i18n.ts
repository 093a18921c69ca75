/**
 * UI strings of `<smart-pack-teacher>` in English and Arabic. Every count goes through Intl.PluralRules
 * (English one/other; Arabic all six categories: zero, one, two — the dual — few, many, other), and every
 * number is written with Latin digits (format.ts), like the booking grid.
 *
 * Arabic counted nouns follow the grid's rules (widget/grid/i18n.ts): one and two are words of their own,
 * 3–10 take the plural, 11–99 the accusative singular, 0 and 100+ the singular; a count stands after a
 * label ("الحصص المتأثرة: حصتان") so no verb or adjective has to agree with a number it does not see.
 */
import type { Attendance, TeacherSessionStatus } from '../../api/contract/teacher.js';
import type { StudentNoShow } from '../../api/contract/wire.js';
import type { ErrorMessages } from '../api-client.js';
import { formatNumber, language } from '../format.js';
import { ar, en, plural } from '../plural.js';

export interface Strings {
  loading: string;
  loadError: string;
  /** The token is refused (401/403): an old link. */
  linkRefused: string;
  /** No token at all: the page was opened without the school's link. */
  noToken: string;
  retry: string;
  network: string;
  tz: (zone: string) => string;
  sections: string;
  // The week.
  weekTitle: string;
  weekHelp: string;
  time: string;
  available: string;
  notAvailable: string;
  /** "Monday 16:00–18:00". */
  range: (day: string, from: string, to: string) => string;
  remove: string;
  removeRange: (range: string) => string;
  hoursTitle: string;
  noHours: string;
  weeklyTotal: (hours: number) => string;
  unsaved: string;
  saveWeek: string;
  saving: string;
  undo: string;
  savedWeek: string;
  daysLabel: string;
  dayHours: (day: string) => string;
  // Time off.
  timeOffTitle: string;
  from: string;
  to: string;
  date: string;
  reason: string;
  preview: string;
  saveTimeOff: string;
  badRange: string;
  previewFirst: string;
  noneFlagged: string;
  wouldFlag: (n: number) => string;
  timeOffSaved: (flagged: number) => string;
  timeOffList: string;
  noTimeOff: string;
  delete: string;
  deleteTimeOff: (range: string) => string;
  confirmDelete: (range: string) => string;
  deleteYes: string;
  keep: string;
  timeOffDeleted: string;
  // The schedule.
  scheduleTitle: string;
  noSessions: string;
  daySessions: (n: number) => string;
  session: (n: number) => string;
  singleLesson: string;
  student: string;
  status: Record<TeacherSessionStatus, string>;
  attendance: Record<Attendance, string>;
  mark: Record<Attendance, string>;
  /** The irreversible record, asked first: what it does, in one sentence. */
  /** The confirmation of an outcome, saying what it does (a student's no-show: under the school's rule). */
  confirmMark: Record<Attendance, (who: string, when: string, rule: StudentNoShow) => string>;
  recordYes: string;
  recorded: (outcome: string) => string;
  flagged: (reason: string | null) => string;
  alternatives: string;
  errors: ErrorMessages;
}

const enSessions = en('session');
const enHours = en('hour');

const EN: Strings = {
  loading: 'Loading your week…',
  loadError: 'We could not load your week.',
  linkRefused: 'This link no longer opens your page. Ask your school for a new one.',
  noToken: 'Open this page from the link your school sent you.',
  retry: 'Retry',
  network: 'The connection failed. Nothing was changed; please try again.',
  tz: (zone) => `Times in your time zone: ${zone}`,
  sections: 'Your teaching',
  weekTitle: 'Weekly hours',
  weekHelp:
    'Drag over empty times to add hours; drag the top or bottom edge of a block to change it. Keyboard: arrows move, Space adds or removes half an hour, Shift+↑/↓ extends, Delete removes the block.',
  time: 'Time',
  available: 'available',
  notAvailable: 'not available',
  range: (day, from, to) => `${day} ${from}–${to}`,
  remove: 'Remove',
  removeRange: (r) => `Remove ${r}`,
  hoursTitle: 'Your hours',
  noHours: 'No hours yet: families cannot book you.',
  weeklyTotal: (h) => `${enHours(h)} a week`,
  unsaved: 'Unsaved changes',
  saveWeek: 'Save week',
  saving: 'Saving…',
  undo: 'Undo changes',
  savedWeek: 'Week saved. Families see the new hours the next time they open the booking page.',
  daysLabel: 'Days',
  dayHours: (d) => `Hours on ${d}`,
  timeOffTitle: 'Time off',
  from: 'From',
  to: 'To',
  date: 'Date',
  reason: 'Reason (optional)',
  preview: 'Preview',
  saveTimeOff: 'Save time off',
  badRange: 'The end must be after the start.',
  previewFirst: 'Preview first to see which booked sessions it affects.',
  noneFlagged: 'No booked session falls in this time off.',
  wouldFlag: (n) =>
    plural('en', n, {
      one: 'This time off would flag # booked session:',
      other: 'This time off would flag # booked sessions:',
    }),
  timeOffSaved: (n) =>
    n
      ? `Time off saved. ${plural('en', n, { one: '# session was', other: '# sessions were' })} flagged for the families to move.`
      : 'Time off saved.',
  timeOffList: 'Your time off',
  noTimeOff: 'No time off planned.',
  delete: 'Delete',
  deleteTimeOff: (r) => `Delete the time off ${r}`,
  confirmDelete: (r) => `Delete the time off ${r}? These times become bookable again.`,
  deleteYes: 'Delete',
  keep: 'Keep',
  timeOffDeleted: 'Time off deleted.',
  scheduleTitle: 'Your sessions',
  noSessions: 'No sessions in the coming weeks.',
  daySessions: enSessions,
  session: (n) => `Session ${formatNumber('en', n)}`,
  singleLesson: 'Single lesson',
  student: 'Student',
  status: { scheduled: 'Scheduled', completed: 'Completed', cancelled: 'Cancelled', no_show: 'No-show' },
  attendance: {
    completed: 'Completed',
    student_no_show: 'The student did not come',
    teacher_no_show: 'The teacher did not come',
  },
  mark: { completed: 'Completed', student_no_show: 'Student no-show', teacher_no_show: 'Teacher no-show' },
  confirmMark: {
    completed: (who, when) =>
      `Record the session with ${who} (${when}) as completed? This cannot be undone; your share is released.`,
    student_no_show: (who, when, rule) =>
      rule === 'credit'
        ? `Record that ${who} did not come (${when})? This cannot be undone; the school gives the family the session back as a floating credit, so nothing is released to you.`
        : `Record that ${who} did not come (${when})? This cannot be undone; your share is released, as for a taught session.`,
    teacher_no_show: (who, when) =>
      `Record that you did not teach ${who} (${when})? This cannot be undone; the family gets the session back as a floating credit.`,
  },
  recordYes: 'Record',
  recorded: (o) => `Recorded: ${o}.`,
  flagged: (reason) =>
    reason === 'external_calendar'
      ? 'Needs attention: you are busy in another calendar at this time.'
      : 'Needs attention: you are away at this time.',
  alternatives: 'Free times the family can move it to:',
  errors: {},
};

const arSessions = ar('حصة واحدة', 'حصتان', 'حصص', 'حصة');
const arHours = ar('ساعة واحدة', 'ساعتان', 'ساعات', 'ساعة');

const AR: Strings = {
  loading: 'جارٍ تحميل أسبوعك…',
  loadError: 'تعذّر تحميل أسبوعك.',
  linkRefused: 'لم يعد هذا الرابط يفتح صفحتك. اطلب رابطاً جديداً من مدرستك.',
  noToken: 'افتح هذه الصفحة من الرابط الذي أرسلته إليك مدرستك.',
  retry: 'إعادة المحاولة',
  network: 'انقطع الاتصال. لم يتغير شيء؛ يرجى المحاولة مجدداً.',
  tz: (zone) => `الأوقات بتوقيتك: ${zone}`,
  sections: 'تدريسك',
  weekTitle: 'ساعات الأسبوع',
  weekHelp:
    'اسحب فوق الأوقات الفارغة لإضافة ساعات، واسحب الحافة العليا أو السفلى لأي فترة لتغييرها. لوحة المفاتيح: الأسهم للتنقل، والمسافة لإضافة نصف ساعة أو حذفها، وShift+↑/↓ للتمديد، وDelete لحذف الفترة.',
  time: 'الوقت',
  available: 'متاح',
  notAvailable: 'غير متاح',
  range: (day, from, to) => `${day} ${from}–${to}`,
  remove: 'احذف',
  removeRange: (r) => `احذف ${r}`,
  hoursTitle: 'ساعاتك',
  noHours: 'لا توجد ساعات بعد: لا يمكن للأسر الحجز معك.',
  weeklyTotal: (h) => `في الأسبوع: ${arHours(h)}`,
  unsaved: 'تغييرات غير محفوظة',
  saveWeek: 'احفظ الأسبوع',
  saving: 'جارٍ الحفظ…',
  undo: 'تراجع عن التغييرات',
  savedWeek: 'حُفظ الأسبوع. ترى الأسر الساعات الجديدة عند فتح صفحة الحجز في المرة القادمة.',
  daysLabel: 'الأيام',
  dayHours: (d) => `ساعات يوم ${d}`,
  timeOffTitle: 'الإجازات',
  from: 'من',
  to: 'إلى',
  date: 'التاريخ',
  reason: 'السبب (اختياري)',
  preview: 'معاينة',
  saveTimeOff: 'احفظ الإجازة',
  badRange: 'يجب أن تكون النهاية بعد البداية.',
  previewFirst: 'عاين أولاً لترى الحصص المحجوزة التي تتأثر بها.',
  noneFlagged: 'لا توجد حصة محجوزة خلال هذه الإجازة.',
  wouldFlag: (n) => `الحصص المحجوزة التي ستتأثر بهذه الإجازة: ${arSessions(n)}`,
  timeOffSaved: (n) => (n ? `حُفظت الإجازة. الحصص التي ستنقلها الأسر: ${arSessions(n)}.` : 'حُفظت الإجازة.'),
  timeOffList: 'إجازاتك',
  noTimeOff: 'لا توجد إجازات مخططة.',
  delete: 'احذف',
  deleteTimeOff: (r) => `احذف الإجازة ${r}`,
  confirmDelete: (r) => `حذف الإجازة ${r}؟ ستصبح هذه الأوقات متاحة للحجز من جديد.`,
  deleteYes: 'احذفها',
  keep: 'أبقِها',
  timeOffDeleted: 'حُذفت الإجازة.',
  scheduleTitle: 'حصصك',
  noSessions: 'لا توجد حصص في الأسابيع القادمة.',
  daySessions: arSessions,
  session: (n) => `الحصة ${formatNumber('ar', n)}`,
  singleLesson: 'حصة منفردة',
  student: 'الطالب',
  status: { scheduled: 'مجدولة', completed: 'مكتملة', cancelled: 'ملغاة', no_show: 'غياب' },
  attendance: {
    completed: 'مكتملة',
    student_no_show: 'لم يحضر الطالب',
    teacher_no_show: 'لم يحضر المعلم',
  },
  mark: { completed: 'مكتملة', student_no_show: 'غياب الطالب', teacher_no_show: 'غياب المعلم' },
  confirmMark: {
    completed: (who, when) => `تسجيل حصة ${who} (${when}) على أنها مكتملة؟ لا يمكن التراجع عن ذلك، ويُصرف لك نصيبك.`,
    student_no_show: (who, when, rule) =>
      rule === 'credit'
        ? `تسجيل غياب ${who} (${when})؟ لا يمكن التراجع عن ذلك، وتمنح المدرسة الأسرة الحصة رصيداً مرناً، فلا يُصرف لك نصيب عنها.`
        : `تسجيل غياب ${who} (${when})؟ لا يمكن التراجع عن ذلك، ويُصرف لك نصيبك كحصة مكتملة.`,
    teacher_no_show: (who, when) =>
      `تسجيل أنك لم تدرّس ${who} (${when})؟ لا يمكن التراجع عن ذلك، وتستعيد الأسرة الحصة رصيداً مرناً.`,
  },
  recordYes: 'سجّل',
  recorded: (o) => `سُجّل: ${o}.`,
  flagged: (reason) =>
    reason === 'external_calendar'
      ? 'تحتاج إلى انتباه: أنت مشغول في تقويم آخر في هذا الوقت.'
      : 'تحتاج إلى انتباه: أنت في إجازة في هذا الوقت.',
  alternatives: 'أوقات متاحة يمكن للأسرة نقلها إليها:',
  errors: {},
};

export function strings(locale: string): Strings {
  return language(locale) === 'ar' ? AR : EN;
}
