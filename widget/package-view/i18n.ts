/**
 * UI strings of `<smart-pack-package>` in English and Arabic, reviewed sentence by sentence. Every count
 * goes through `Intl.PluralRules` (Arabic has six categories: zero, one, two — the dual — few, many,
 * other) and every number is written in the page's digits, like its dates and times.
 */
import type { PackageView } from '../../api/contract/wire.js';
import type { ErrorMessages } from '../api-client.js';
import { formatNumber, language } from '../format.js';

/** The forms of a counted phrase; `other` is required, the rest fall back to it. */
export type PluralForms = Partial<Record<Intl.LDMLPluralRule, (n: string) => string>> & {
  other: (n: string) => string;
};

const rules = new Map<string, Intl.PluralRules>();
/** `n` in the form its language's plural rules choose, with the number in the locale's digits. */
export function plural(locale: string, n: number, forms: PluralForms): string {
  let r = rules.get(locale);
  if (!r) rules.set(locale, (r = new Intl.PluralRules(locale)));
  const form = forms[r.select(n)] ?? forms.other;
  return form(formatNumber(locale, n));
}

/** Money as the summary shows it: the price, and where the escrow stands. */
export interface EscrowWords {
  price: string;
  released: string | null;
  refunded: string | null;
  refundDue: string | null;
  held: string | null;
}

export interface Strings {
  loading: string;
  loadError: string;
  /** An unknown or another family's package id (404): retrying cannot help. */
  notFound: string;
  /** The link's token is refused (401/403): an old or cut link. */
  linkRefused: string;
  retry: string;
  title: (n: number) => string;
  /** "Mathematics with Amna Hassan". */
  withTeacher: (subject: string, teacher: string) => string;
  state: Record<PackageView['state'], string>;
  /** While the hold lives: replaces the state line. */
  pendingUntil: (clock: string) => string;
  holdExpired: string;
  paid: (m: EscrowWords) => string;
  /** Before payment: the price, nothing paid. */
  price: (price: string) => string;
  progress: (done: number, total: number) => string;
  floatingLeft: (n: number, by: string) => string;
  floatingExpired: (n: number, on: string) => string;
  notice: (hours: number) => string;
  tz: (zone: string) => string;
  bookFloating: (n: number) => string;
  addToCalendar: string;
  attention: (n: number) => string;
  sessionsTitle: string;
  session: (n: number | null) => string;
  floating: string;
  completed: string;
  cancelled: string;
  packCancelledBadge: string;
  /** A no-show the family was not charged for: the session came back as a floating credit. */
  noShowCredited: { teacher_no_show: string; student_no_show: string };
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
  /** The confirmation step of each irreversible action: the question and its two answers. */
  confirmMove: (session: string, when: string) => string;
  move: string;
  keep: string;
  confirmBook: (when: string) => string;
  book: string;
  confirmFloat: (session: string, by: string) => string;
  floatYes: string;
  keepTime: string;
  cancelPack: string;
  cancelPurchase: string;
  /** The refund policy of docs/lifecycle.md "Refunds", in one sentence. */
  confirmCancel: (hours: number) => string;
  confirmCancelPending: string;
  cancelYes: string;
  keepPack: string;
  moved: (session: string, when: string) => string;
  booked: (when: string) => string;
  floated: (session: string) => string;
  packCancelled: (refunded: string) => string;
  purchaseCancelled: string;
  network: string;
  /** Texts for the refusals a parent can meet; other codes show the API's own (English) message. */
  errors: ErrorMessages;
}

function english(locale: string): Strings {
  const count = (n: number, one: string, many: string) =>
    plural(locale, n, { one: (x) => `${x} ${one}`, other: (x) => `${x} ${many}` });
  const sessions = (n: number) => count(n, 'session', 'sessions');
  const num = (n: number) => formatNumber(locale, n);
  return {
    loading: 'Loading your pack…',
    loadError: 'We could not load this pack.',
    notFound: 'We could not find this pack. Open the link from your email again.',
    linkRefused: 'This link no longer opens the pack. Open the latest link from your email.',
    retry: 'Retry',
    title: (n) => `Your Smart Pack · ${sessions(n)}`,
    withTeacher: (subject, teacher) => `${subject} with ${teacher}`,
    state: {
      pending_payment: 'Waiting for payment',
      hold_expired: 'Not paid in time',
      active: 'Active',
      expired: 'Ended',
      completed: 'Completed',
      cancelled: 'Cancelled',
    },
    pendingUntil: (clock) => `Waiting for payment until ${clock}`,
    holdExpired: 'The payment did not come in time: the times were freed and nothing was charged.',
    paid: (m) =>
      [
        `Paid ${m.price}`,
        m.released && `${m.released} released to the teacher`,
        m.refunded && `${m.refunded} refunded`,
        m.refundDue && `${m.refundDue} to be refunded`,
        m.held && `${m.held} held`,
      ]
        .filter(Boolean)
        .join(' · '),
    price: (p) => `Price ${p} · nothing paid yet`,
    progress: (d, t) => `${num(d)} of ${sessions(t)} taught`,
    floatingLeft: (n, by) => `${count(n, 'floating session', 'floating sessions')} left to book before ${by}`,
    floatingExpired: (n, on) => `${count(n, 'floating session', 'floating sessions')} expired unused on ${on}`,
    notice: (h) => `You can reschedule or cancel a session up to ${count(h, 'hour', 'hours')} before it starts.`,
    tz: (zone) => `Times in the teacher’s time zone (${zone})`,
    bookFloating: (n) => `Book a floating session (${num(n)} left)`,
    addToCalendar: 'Add to calendar',
    attention: (n) =>
      plural(locale, n, {
        one: (x) => `${x} session needs your attention`,
        other: (x) => `${x} sessions need your attention`,
      }),
    sessionsTitle: 'Your sessions',
    session: (n) => (n === null ? 'Session' : `Session ${num(n)}`),
    floating: 'floating',
    completed: 'completed',
    cancelled: 'turned into a floating credit',
    packCancelledBadge: 'cancelled',
    noShowCredited: {
      teacher_no_show: 'the teacher did not come: back as a floating credit',
      student_no_show: 'missed: back as a floating credit',
    },
    flagged: 'The teacher is not available at this time. Move it, or keep it as a floating session.',
    moveTo: (w) => `Move to ${w}`,
    reschedule: (left) => `Reschedule (${num(left)} left)`,
    noReschedulesLeft: 'No reschedules left for this session',
    float: 'Make it a floating session',
    pickerReschedule: (s) => `Choose a new time for ${s}`,
    pickerBook: 'Choose a time for your floating session',
    loadingSlots: 'Loading free times…',
    noSlots: 'No free times in these days.',
    later: 'Later dates',
    close: 'Close',
    confirmMove: (s, w) => `Move ${s.toLowerCase()} to ${w}?`,
    move: 'Move',
    keep: 'Keep',
    confirmBook: (w) => `Book your floating session for ${w}?`,
    book: 'Book',
    confirmFloat: (s, by) =>
      `Make ${s.toLowerCase()} a floating session? Its time is given up; you can book the credit for another time before ${by}.`,
    floatYes: 'Make it floating',
    keepTime: 'Keep the time',
    cancelPack: 'Cancel pack',
    cancelPurchase: 'Cancel purchase',
    confirmCancel: (h) =>
      `Cancel the whole pack? Sessions more than ${count(h, 'hour', 'hours')} away and unused floating credits are refunded; sessions within ${count(h, 'hour', 'hours')} are still taught and paid to the teacher.`,
    confirmCancelPending: 'Cancel this purchase? Nothing has been paid; the held times are freed.',
    cancelYes: 'Cancel the pack',
    keepPack: 'Keep the pack',
    moved: (s, w) => `${s} moved to ${w}.`,
    booked: (w) => `Floating session booked for ${w}.`,
    floated: (s) => `${s} is now a floating session you can book later.`,
    packCancelled: (r) => `Your pack is cancelled. ${r} is refunded.`,
    purchaseCancelled: 'Your purchase is cancelled. Nothing was charged.',
    network: 'The connection failed. Nothing was changed; please try again.',
    // Other refusals are shown with the API's own (English) message.
    errors: { slot_taken: 'Someone just took that time. Here are the times still free.' },
  };
}

function arabic(locale: string): Strings {
  const num = (n: number) => formatNumber(locale, n);
  /** حصة: 0 حصة، حصة واحدة، حصتان، 3–10 حصص، 11–99 حصة، 100 حصة. */
  const sessions = (n: number) =>
    plural(locale, n, {
      zero: (x) => `${x} حصة`,
      one: () => 'حصة واحدة',
      two: () => 'حصتان',
      few: (x) => `${x} حصص`,
      many: (x) => `${x} حصة`,
      other: (x) => `${x} حصة`,
    });
  /** The same after a preposition (من): the dual in the genitive, حصتين. */
  const ofSessions = (n: number) => plural(locale, n, { two: () => 'حصتين', other: () => sessions(n) });
  /** حصة مرنة, with the adjective agreeing (dual مرنتان). */
  const floating = (n: number) =>
    plural(locale, n, {
      zero: (x) => `${x} حصة مرنة`,
      one: () => 'حصة مرنة واحدة',
      two: () => 'حصتان مرنتان',
      few: (x) => `${x} حصص مرنة`,
      many: (x) => `${x} حصة مرنة`,
      other: (x) => `${x} حصة مرنة`,
    });
  const hours = (n: number) =>
    plural(locale, n, {
      zero: (x) => `${x} ساعة`,
      one: () => 'ساعة واحدة',
      two: () => 'ساعتين',
      few: (x) => `${x} ساعات`,
      many: (x) => `${x} ساعة`,
      other: (x) => `${x} ساعة`,
    });
  /** What is left of something counted in times (مرة). */
  const times = (n: number) =>
    plural(locale, n, {
      zero: () => 'لم تبقَ مرات',
      one: () => 'بقيت مرة واحدة',
      two: () => 'بقيت مرتان',
      few: (x) => `بقيت ${x} مرات`,
      many: (x) => `بقيت ${x} مرة`,
      other: (x) => `بقيت ${x} مرة`,
    });
  /** A verb agreeing with a counted subject: one or the dual in the singular/dual, else the plural. */
  const left = (n: number, body: string) =>
    plural(locale, n, {
      zero: () => `لم تبقَ حصص مرنة ${body}`,
      one: () => `بقيت حصة مرنة واحدة ${body}`,
      two: () => `بقيت حصتان مرنتان ${body}`,
      few: (x) => `بقيت ${x} حصص مرنة ${body}`,
      many: (x) => `بقيت ${x} حصة مرنة ${body}`,
      other: (x) => `بقيت ${x} حصة مرنة ${body}`,
    });
  return {
    loading: 'جارٍ تحميل باقتك…',
    loadError: 'تعذّر تحميل هذه الباقة.',
    notFound: 'لم نجد هذه الباقة. افتح الرابط من بريدك الإلكتروني مرة أخرى.',
    linkRefused: 'لم يعد هذا الرابط يفتح الباقة. افتح أحدث رابط في بريدك الإلكتروني.',
    retry: 'إعادة المحاولة',
    title: (n) => `باقتك الذكية · ${sessions(n)}`,
    withTeacher: (subject, teacher) => `${subject} مع ${teacher}`,
    state: {
      pending_payment: 'بانتظار الدفع',
      hold_expired: 'انتهت مهلة الدفع',
      active: 'سارية',
      expired: 'منتهية',
      completed: 'مكتملة',
      cancelled: 'ملغاة',
    },
    pendingUntil: (clock) => `بانتظار الدفع حتى ${clock}`,
    holdExpired: 'لم يصل الدفع في الوقت المحدد: أُتيحت المواعيد لغيرك ولم يُخصم أي مبلغ.',
    paid: (m) =>
      [
        `المدفوع ${m.price}`,
        m.released && `صُرف للمعلم ${m.released}`,
        m.refunded && `استُرد ${m.refunded}`,
        m.refundDue && `سيُسترد ${m.refundDue}`,
        m.held && `محتجز ${m.held}`,
      ]
        .filter(Boolean)
        .join(' · '),
    price: (p) => `السعر ${p} · لم يُدفع شيء بعد`,
    progress: (d, t) => `تمت ${num(d)} من ${ofSessions(t)}`,
    floatingLeft: (n, by) => left(n, `للحجز قبل ${by}`),
    floatingExpired: (n, on) =>
      plural(locale, n, {
        one: () => `انتهت صلاحية حصة مرنة واحدة دون استخدام في ${on}`,
        two: () => `انتهت صلاحية حصتين مرنتين دون استخدام في ${on}`,
        other: () => `انتهت صلاحية ${floating(n)} دون استخدام في ${on}`,
      }),
    notice: (h) => `يمكنك تغيير موعد الحصة أو إلغاؤها حتى ${hours(h)} قبل بدايتها.`,
    tz: (zone) => `الأوقات بتوقيت المعلم (${zone})`,
    bookFloating: (n) =>
      plural(locale, n, {
        one: () => 'احجز حصة مرنة (بقيت واحدة)',
        two: () => 'احجز حصة مرنة (بقيت اثنتان)',
        other: (x) => `احجز حصة مرنة (بقي ${x})`,
      }),
    addToCalendar: 'أضف إلى التقويم',
    attention: (n) =>
      plural(locale, n, {
        one: () => 'حصة واحدة تحتاج إلى انتباهك',
        two: () => 'حصتان تحتاجان إلى انتباهك',
        other: () => `${sessions(n)} تحتاج إلى انتباهك`,
      }),
    sessionsTitle: 'حصصك',
    session: (n) => (n === null ? 'حصة' : `الحصة ${num(n)}`),
    floating: 'مرنة',
    completed: 'مكتملة',
    cancelled: 'تحولت إلى حصة مرنة',
    packCancelledBadge: 'ملغاة',
    noShowCredited: {
      teacher_no_show: 'لم يحضر المعلم: عادت حصةً مرنة',
      student_no_show: 'فاتت: عادت حصةً مرنة',
    },
    flagged: 'المعلم غير متاح في هذا الوقت. انقلها إلى موعد آخر أو احتفظ بها كحصة مرنة.',
    moveTo: (w) => `انقلها إلى ${w}`,
    reschedule: (n) => `غيّر الموعد (${times(n)})`,
    noReschedulesLeft: 'لا يمكن تغيير موعد هذه الحصة مجدداً',
    float: 'اجعلها حصة مرنة',
    // "لـ" joined to "الحصة" is "للحصة": write the joined form.
    pickerReschedule: (s) => `اختر موعداً جديداً ${s.startsWith('ال') ? `لل${s.slice(2)}` : `لـ${s}`}`,
    pickerBook: 'اختر موعداً لحصتك المرنة',
    loadingSlots: 'جارٍ تحميل الأوقات المتاحة…',
    noSlots: 'لا توجد أوقات متاحة في هذه الأيام.',
    later: 'تواريخ لاحقة',
    close: 'إغلاق',
    confirmMove: (s, w) => `نقل ${s} إلى ${w}؟`,
    move: 'انقلها',
    keep: 'أبقِها',
    confirmBook: (w) => `حجز حصتك المرنة في ${w}؟`,
    book: 'احجز',
    confirmFloat: (s, by) => `تحويل ${s} إلى حصة مرنة؟ سيُترك موعدها، ويمكنك حجز رصيدها في وقت آخر قبل ${by}.`,
    floatYes: 'اجعلها مرنة',
    keepTime: 'أبقِ الموعد',
    cancelPack: 'ألغِ الباقة',
    cancelPurchase: 'ألغِ الشراء',
    confirmCancel: (h) =>
      `إلغاء الباقة كلها؟ تُسترد قيمة الحصص التي يبقى على بدايتها أكثر من ${hours(h)} والحصص المرنة غير المستخدمة، أما الحصص خلال ${hours(h)} فتُدرَّس ويُدفع للمعلم عنها.`,
    confirmCancelPending: 'إلغاء هذا الشراء؟ لم يُدفع شيء، وستُتاح المواعيد المحجوزة لغيرك.',
    cancelYes: 'ألغِ الباقة',
    keepPack: 'أبقِ الباقة',
    moved: (s, w) => `نُقلت ${s} إلى ${w}.`,
    booked: (w) => `حُجزت الحصة المرنة في ${w}.`,
    floated: (s) => `أصبحت ${s} حصة مرنة يمكنك حجزها لاحقاً.`,
    packCancelled: (r) => `أُلغيت باقتك. يُسترد لك ${r}.`,
    purchaseCancelled: 'أُلغي الشراء. لم يُخصم أي مبلغ.',
    network: 'انقطع الاتصال. لم يتغير شيء؛ يرجى المحاولة مجدداً.',
    errors: {
      slot_taken: 'حجز شخص آخر هذا الوقت للتو. هذه هي الأوقات التي ما زالت متاحة.',
      reschedule_limit_reached: 'لا يمكن تغيير موعد هذه الحصة مجدداً.',
      change_window_passed: 'فات وقت تغيير هذه الحصة.',
      no_floating_sessions_left: 'حُجزت كل الحصص المرنة في هذه الباقة.',
      package_expired: 'انتهت هذه الباقة.',
      after_package_end: 'هذا الوقت بعد نهاية باقتك.',
      package_cancelled: 'أُلغيت هذه الباقة.',
      hold_expired: 'انتهت مهلة الدفع لهذه الباقة.',
      package_pending_payment: 'لم يتأكد دفع هذه الباقة بعد.',
    },
  };
}

const cache = new Map<string, Strings>();
/** The strings for `locale`: Arabic for `ar…`, English otherwise; numbers in the locale's own digits. */
export function strings(locale: string): Strings {
  let s = cache.get(locale);
  if (!s) cache.set(locale, (s = language(locale) === 'ar' ? arabic(locale) : english(locale)));
  return s;
}
