/**
 * UI strings of `<smart-pack-package>` in English and Arabic. A few English strings choose singular or
 * plural (`sessions()`, `attention`); the Arabic ones use one form whatever the number, like the grid's.
 */
import type { PackageView } from '../../api/contract/wire.js';
import type { ErrorMessages } from '../api-client.js';
import { language } from '../format.js';

export interface Strings {
  loading: string;
  loadError: string;
  retry: string;
  title: (n: number) => string;
  state: Record<PackageView['state'], string>;
  progress: (done: number, total: number) => string;
  floatingLeft: (n: number, by: string) => string;
  floatingExpired: (n: number, on: string) => string;
  notice: (hours: number) => string;
  tz: (tz: string) => string;
  bookFloating: (n: number) => string;
  addToCalendar: string;
  attention: (n: number) => string;
  sessionsTitle: string;
  session: (n: number | null) => string;
  floating: string;
  completed: string;
  cancelled: string;
  flagged: string;
  moveTo: (when: string) => string;
  reschedule: (left: number) => string;
  noReschedulesLeft: string;
  float: string;
  pickerReschedule: (session: string) => string;
  pickerBook: string;
  loadingSlots: string;
  noSlots: string;
  later: string;
  close: string;
  moved: (session: string, when: string) => string;
  booked: (when: string) => string;
  floated: (session: string) => string;
  network: string;
  /** Texts for the refusals a parent can meet; other codes show the API's own (English) message. */
  errors: ErrorMessages;
}

const sessions = (n: number) => (n === 1 ? 'session' : 'sessions');

const en: Strings = {
  loading: 'Loading your pack…',
  loadError: 'We could not load this pack.',
  retry: 'Retry',
  title: (n) => `Your Smart Pack · ${n} sessions`,
  state: {
    pending_payment: 'Waiting for payment',
    hold_expired: 'Not paid in time',
    active: 'Active',
    expired: 'Ended',
    completed: 'Completed',
    cancelled: 'Cancelled',
  },
  progress: (d, t) => `${d} of ${t} sessions taught`,
  floatingLeft: (n, by) => `${n} floating ${sessions(n)} left to book before ${by}`,
  floatingExpired: (n, on) => `${n} floating ${sessions(n)} expired unused on ${on}`,
  notice: (h) => `You can reschedule or cancel a session up to ${h} hours before it starts.`,
  tz: (tz) => `Times in the teacher’s time zone (${tz})`,
  bookFloating: (n) => `Book a floating session (${n} left)`,
  addToCalendar: 'Add to calendar',
  attention: (n) => `${n} ${sessions(n)} need${n === 1 ? 's' : ''} your attention`,
  sessionsTitle: 'Your sessions',
  session: (n) => (n === null ? 'Session' : `Session ${n}`),
  floating: 'floating',
  completed: 'completed',
  cancelled: 'turned into a floating credit',
  flagged: 'The teacher is not available at this time. Move it, or keep it as a floating session.',
  moveTo: (w) => `Move to ${w}`,
  reschedule: (left) => `Reschedule (${left} left)`,
  noReschedulesLeft: 'No reschedules left for this session',
  float: 'Make it a floating session',
  pickerReschedule: (s) => `Choose a new time for ${s}`,
  pickerBook: 'Choose a time for your floating session',
  loadingSlots: 'Loading free times…',
  noSlots: 'No free times in these days.',
  later: 'Later dates',
  close: 'Close',
  moved: (s, w) => `${s} moved to ${w}.`,
  booked: (w) => `Floating session booked for ${w}.`,
  floated: (s) => `${s} is now a floating session you can book later.`,
  network: 'The connection failed. Nothing was changed; please try again.',
  // Other refusals are shown with the API's own (English) message.
  errors: { slot_taken: 'Someone just took that time. Here are the times still free.' },
};

const ar: Strings = {
  loading: 'جارٍ تحميل باقتك…',
  loadError: 'تعذّر تحميل هذه الباقة.',
  retry: 'إعادة المحاولة',
  title: (n) => `باقتك الذكية · ${n} حصص`,
  state: {
    pending_payment: 'بانتظار الدفع',
    hold_expired: 'انتهت مهلة الدفع',
    active: 'سارية',
    expired: 'منتهية',
    completed: 'مكتملة',
    cancelled: 'ملغاة',
  },
  progress: (d, t) => `تمت ${d} من ${t} حصص`,
  floatingLeft: (n, by) => `متبقٍ ${n} من الحصص المرنة تُحجز قبل ${by}`,
  floatingExpired: (n, on) => `انتهت صلاحية ${n} من الحصص المرنة دون استخدام في ${on}`,
  notice: (h) => `يمكنك تغيير موعد الحصة أو إلغاؤها حتى ${h} ساعة قبل بدايتها.`,
  tz: (tz) => `الأوقات بتوقيت المعلم (${tz})`,
  bookFloating: (n) => `احجز حصة مرنة (متبقٍ ${n})`,
  addToCalendar: 'أضف إلى التقويم',
  attention: (n) => `${n} من الحصص تحتاج إلى انتباهك`,
  sessionsTitle: 'حصصك',
  session: (n) => (n === null ? 'حصة' : `الحصة ${n}`),
  floating: 'مرنة',
  completed: 'مكتملة',
  cancelled: 'تحولت إلى حصة مرنة',
  flagged: 'المعلم غير متاح في هذا الوقت. انقلها إلى موعد آخر أو احتفظ بها كحصة مرنة.',
  moveTo: (w) => `انقلها إلى ${w}`,
  reschedule: (left) => `غيّر الموعد (متبقٍ ${left})`,
  noReschedulesLeft: 'لا يمكن تغيير موعد هذه الحصة مجدداً',
  float: 'اجعلها حصة مرنة',
  pickerReschedule: (s) => `اختر موعداً جديداً لـ${s}`,
  pickerBook: 'اختر موعداً لحصتك المرنة',
  loadingSlots: 'جارٍ تحميل الأوقات المتاحة…',
  noSlots: 'لا توجد أوقات متاحة في هذه الأيام.',
  later: 'تواريخ لاحقة',
  close: 'إغلاق',
  moved: (s, w) => `نُقلت ${s} إلى ${w}.`,
  booked: (w) => `حُجزت الحصة المرنة في ${w}.`,
  floated: (s) => `أصبحت ${s} حصة مرنة يمكنك حجزها لاحقاً.`,
  network: 'انقطع الاتصال. لم يتغير شيء؛ يرجى المحاولة مجدداً.',
  errors: {
    slot_taken: 'حجز شخص آخر هذا الوقت للتو. هذه هي الأوقات التي ما زالت متاحة.',
    reschedule_limit_reached: 'لا يمكن تغيير موعد هذه الحصة مجدداً.',
    change_window_passed: 'فات وقت تغيير هذه الحصة.',
    no_floating_sessions_left: 'حُجزت كل الحصص المرنة في هذه الباقة.',
    package_expired: 'انتهت هذه الباقة.',
    after_package_end: 'هذا الوقت بعد نهاية باقتك.',
  },
};

export function strings(locale: string): Strings {
  return language(locale) === 'ar' ? ar : en;
}
