/**
 * UI strings of `<smart-pack-grid>` in English and Arabic. Numbers, dates, weekday names and money
 * arrive already formatted by Intl (../format.ts), so the templates only place them.
 *
 * Plurals: the English strings choose a form through Intl.PluralRules (`pick`, one/other). The Arabic
 * countdown's announcement (`minutesLeft`) chooses among Arabic's six categories the same way; the older Arabic strings still use one fixed form whatever the number (the
 * plural used for 3–10, e.g. حصص, أسابيع), so "1 حصص" reads wrong there.
 */
import type { ConflictReason } from '../../api/contract/wire.js';
import { language } from '../format.js';

type Plural = Partial<Record<Intl.LDMLPluralRule, string>> & { other: string };

export interface Strings {
  loading: string;
  loadError: string;
  retry: string;
  empty: string;
  choosePack: string;
  pack: (n: string) => string;
  packSplit: (n: string, r: string, f: string) => string;
  save: (amount: string, percent: string) => string;
  listPrice: string;
  gridTitle: (r: string) => string;
  time: string;
  legendFree: string;
  legendPartial: (weeks: string) => string;
  legendSelected: string;
  legendUnavailable: string;
  legendEmpty: string;
  freeAll: string;
  freeSome: (free: string, weeks: string) => string;
  taken: string;
  maxSlots: (max: string) => string;
  perWeek: (n: string) => string;
  division: (r: string, n: string, weeks: string) => string;
  extraWeeks: (n: string) => string;
  pickHint: string;
  checking: string;
  checkFailed: string;
  sessionsTitle: (n: string) => string;
  session: (n: string) => string;
  altBadge: string;
  yourTime: string;
  conflictsTitle: string;
  reason: Record<ConflictReason, string>;
  insteadThisWeek: string;
  replaceSlot: string;
  skipWeek: string;
  makeFloating: string;
  floatingTitle: (n: string) => string;
  floatingBy: (date: string) => string;
  floatingAfter: (days: string) => string;
  tzTeacher: (tz: string) => string;
  tzViewer: (tz: string) => string;
  buy: (price: string) => string;
  buying: string;
  needStudent: string;
  /** The child chooser's legend, when the parent token names several children. */
  childLegend: string;
  chooseChild: string;
  networkError: string;
  tryAgain: string;
  slotTaken: (slots: string) => string;
  purchased: string;
  purchasedDetail: (n: string, first: string, f: string, by: string) => string;
  reference: (id: string) => string;
  announceOk: (n: string, weeks: string) => string;
  announceConflicts: (n: string) => string;
  // The review before paying.
  continue: string;
  reviewTitle: string;
  reviewFor: (child: string) => string;
  choiceExtend: string;
  choiceFloat: string;
  confirmWeek: string;
  weeksToConfirm: string;
  back: string;
  pay: (price: string) => string;
  // The hold while the school collects the payment.
  holdTitle: string;
  timeLeft: string;
  /** Whole minutes left (0: less than one), for the polite live region (plural through Intl.PluralRules). */
  minutesLeft: (n: number) => string;
  timeUp: string;
  cancelHold: string;
  holdExpired: string;
  holdCancelled: string;
  chooseAgain: string;
  // After the purchase.
  manage: string;
  addToCalendar: string;
  bookAnother: string;
}

const weekWord = { one: 'week', other: 'weeks' };
const sessionWord = { one: 'session', other: 'sessions' };

const pluralRules = new Map<string, Intl.PluralRules>();
function pick(locale: string, n: number, forms: Plural): string {
  let rules = pluralRules.get(locale);
  if (!rules) pluralRules.set(locale, (rules = new Intl.PluralRules(locale)));
  const cat = rules.select(n);
  return forms[cat] ?? forms.other;
}

// The templates receive pre-formatted numbers; the plural form is chosen from the raw number,
// which the templates recover with Number() after stripping locale digits.
const raw = (s: string): number =>
  Number(s.replace(/[٠-٩]/g, (d) => String(d.charCodeAt(0) - 0x660)).replace(/[^\d.]/g, ''));

// Arabic has six plural categories (zero, one, two, few, many, other); Intl.PluralRules('ar') picks one.
const arNumber = (n: number) => new Intl.NumberFormat('ar').format(n);

const en: Strings = {
  loading: 'Loading available times…',
  loadError: 'We could not load this teacher’s times.',
  retry: 'Retry',
  empty: 'This teacher has no free weekly slots right now.',
  choosePack: 'Choose your pack',
  pack: (n) => `Smart Pack: ${n} ${pick('en', raw(n), sessionWord)}`,
  packSplit: (n, r, f) => `${n} sessions = ${r} recurring + ${f} floating`,
  save: (a, p) => `You save ${a} (${p})`,
  listPrice: 'List price',
  gridTitle: (r) => `Pick your weekly times for ${r} recurring sessions`,
  time: 'Time',
  legendFree: 'free every week',
  legendPartial: (w) => `n/${w} = free only n of ${w} weeks`,
  legendSelected: 'selected',
  legendUnavailable: 'taken',
  legendEmpty: 'empty = not offered',
  freeAll: 'free every week',
  freeSome: (f, w) => `free ${f} of ${w} weeks`,
  taken: 'taken',
  maxSlots: (m) => `You can pick up to ${m} weekly times. Unselect one to choose another.`,
  perWeek: (n) => `${n}×/week`,
  division: (r, n, w) => `${r} sessions ÷ ${n}/week = ${w} ${pick('en', raw(w), weekWord)}`,
  extraWeeks: (n) => `+${n} ${pick('en', raw(n), weekWord)} for skipped dates`,
  pickHint: 'Select 1 to 4 weekly times in the grid.',
  checking: 'Checking your dates…',
  checkFailed: 'We could not check these times.',
  sessionsTitle: (n) => `Your ${n} scheduled sessions`,
  session: (n) => `Session ${n}`,
  altBadge: 'moved this week',
  yourTime: 'your time',
  conflictsTitle: 'Weeks that need a choice',
  reason: {
    booked: 'already booked',
    time_off: 'teacher is away',
    outside_availability: 'outside the teacher’s hours',
    too_soon: 'too soon to book',
    dst_gap: 'skipped by a clock change',
    beyond_horizon: 'too far ahead to book',
  },
  insteadThisWeek: 'Take instead, this week only:',
  replaceSlot: 'Or change this weekly time to:',
  skipWeek: 'Skip this week (extend)',
  makeFloating: 'Make it a floating session',
  floatingTitle: (n) => `${n} floating ${pick('en', raw(n), sessionWord)}`,
  floatingBy: (d) => `Book them any time before ${d}.`,
  floatingAfter: (d) => `Book them any time up to ${d} days after your last session.`,
  tzTeacher: (tz) => `Times in the teacher’s time zone (${tz})`,
  tzViewer: (tz) => `your time (${tz}) in italics`,
  buy: (p) => `Buy pack · ${p}`,
  buying: 'Buying…',
  needStudent: 'Sign in to buy this pack.',
  childLegend: 'Who is this pack for?',
  chooseChild: 'Choose your child to buy.',
  networkError: 'The connection failed. Try again — you will never be charged twice.',
  tryAgain: 'Try again',
  slotTaken: (s) => `Someone just booked ${s}. We re-checked your dates — please review them.`,
  purchased: 'Booked! Your pack is confirmed.',
  purchasedDetail: (n, first, f, by) => `${n} sessions scheduled from ${first}. ${f} floating to book before ${by}.`,
  reference: (id) => `Reference ${id}`,
  announceOk: (n, w) => `${n} sessions fit in ${w} ${pick('en', raw(w), weekWord)}.`,
  announceConflicts: (n) => `${n} ${pick('en', raw(n), { one: 'week needs', other: 'weeks need' })} a choice.`,
  continue: 'Continue',
  reviewTitle: 'Review your pack',
  reviewFor: (child) => `For ${child}`,
  choiceExtend: 'Skipped: the pack runs a week longer',
  choiceFloat: 'Becomes a floating session',
  confirmWeek: 'I confirm this choice',
  weeksToConfirm: 'Confirm each busy week to continue.',
  back: 'Back',
  pay: (p) => `Reserve and pay · ${p}`,
  holdTitle: 'Waiting for your payment',
  timeLeft: 'Time left to pay:',
  minutesLeft: (n) =>
    n === 0
      ? 'Less than a minute left to pay.'
      : pick('en', n, { one: `${n} minute left to pay.`, other: `${n} minutes left to pay.` }),
  timeUp: 'Time is up. Checking your payment…',
  cancelHold: 'Cancel reservation',
  holdExpired: 'The time to pay ran out and these times were released.',
  holdCancelled: 'Reservation cancelled. The times are free again.',
  chooseAgain: 'Choose times again',
  manage: 'Manage my pack',
  addToCalendar: 'Add to calendar',
  bookAnother: 'Book another pack',
};

const ar: Strings = {
  loading: 'جارٍ تحميل المواعيد المتاحة…',
  loadError: 'تعذّر تحميل مواعيد هذا المعلم.',
  retry: 'إعادة المحاولة',
  empty: 'لا توجد لدى هذا المعلم مواعيد أسبوعية متاحة حالياً.',
  choosePack: 'اختر باقتك',
  pack: (n) => `الباقة الذكية: ${n} حصص`,
  packSplit: (n, r, f) => `${n} حصص = ${r} متكررة + ${f} مرنة`,
  save: (a, p) => `توفّر ${a} (${p})`,
  listPrice: 'السعر الأصلي',
  gridTitle: (r) => `اختر مواعيدك الأسبوعية لـ ${r} حصص متكررة`,
  time: 'الوقت',
  legendFree: 'متاح كل أسبوع',
  legendPartial: (w) => `n/${w} = متاح n من ${w} أسابيع فقط`,
  legendSelected: 'مختار',
  legendUnavailable: 'محجوز',
  legendEmpty: 'الخانة الفارغة = غير متاح',
  freeAll: 'متاح كل أسبوع',
  freeSome: (f, w) => `متاح ${f} من ${w} أسابيع`,
  taken: 'محجوز',
  maxSlots: (m) => `يمكنك اختيار ${m} مواعيد أسبوعية كحد أقصى. ألغِ اختيار موعد لتختار غيره.`,
  perWeek: (n) => `${n}× أسبوعياً`,
  division: (r, n, w) => `${r} حصص ÷ ${n} أسبوعياً = ${w} أسابيع`,
  extraWeeks: (n) => `+${n} أسابيع بسبب التواريخ المتخطاة`,
  pickHint: 'اختر من 1 إلى 4 مواعيد أسبوعية في الجدول.',
  checking: 'جارٍ التحقق من التواريخ…',
  checkFailed: 'تعذّر التحقق من هذه المواعيد.',
  sessionsTitle: (n) => `حصصك المجدولة (${n})`,
  session: (n) => `الحصة ${n}`,
  altBadge: 'نُقلت هذا الأسبوع',
  yourTime: 'بتوقيتك',
  conflictsTitle: 'أسابيع تحتاج إلى اختيار',
  reason: {
    booked: 'محجوز مسبقاً',
    time_off: 'المعلم في إجازة',
    outside_availability: 'خارج ساعات المعلم',
    too_soon: 'قريب جداً للحجز',
    dst_gap: 'غير موجود بسبب تغيير الساعة',
    beyond_horizon: 'بعيد جداً للحجز',
  },
  insteadThisWeek: 'خذ بدلاً منه، لهذا الأسبوع فقط:',
  replaceSlot: 'أو غيّر هذا الموعد الأسبوعي إلى:',
  skipWeek: 'تخطَّ هذا الأسبوع (تمديد)',
  makeFloating: 'اجعلها حصة مرنة',
  floatingTitle: (n) => `${n} حصص مرنة`,
  floatingBy: (d) => `احجزها في أي وقت قبل ${d}.`,
  floatingAfter: (d) => `احجزها في أي وقت حتى ${d} يوماً بعد آخر حصة.`,
  tzTeacher: (tz) => `الأوقات بتوقيت المعلم (${tz})`,
  tzViewer: (tz) => `وتوقيتك (${tz}) بخط مائل`,
  buy: (p) => `اشترِ الباقة · ${p}`,
  buying: 'جارٍ الشراء…',
  needStudent: 'سجّل الدخول لشراء هذه الباقة.',
  childLegend: 'لمن هذه الباقة؟',
  chooseChild: 'اختر طفلك لإتمام الشراء.',
  networkError: 'انقطع الاتصال. حاول مجدداً — لن يُخصم المبلغ مرتين أبداً.',
  tryAgain: 'حاول مجدداً',
  slotTaken: (s) => `حجز شخص آخر ${s} للتو. أعدنا التحقق من تواريخك — يرجى مراجعتها.`,
  purchased: 'تم الحجز! باقتك مؤكدة.',
  purchasedDetail: (n, first, f, by) => `${n} حصص مجدولة ابتداءً من ${first}. ${f} مرنة تُحجز قبل ${by}.`,
  reference: (id) => `المرجع ${id}`,
  announceOk: (n, w) => `${n} حصص تتوزع على ${w} أسابيع.`,
  announceConflicts: (n) => `${n} أسابيع تحتاج إلى اختيار.`,
  continue: 'متابعة',
  reviewTitle: 'راجع باقتك',
  reviewFor: (child) => `لـ ${child}`,
  choiceExtend: 'تُتخطّى وتمتد الباقة أسبوعاً',
  choiceFloat: 'تصبح حصة مرنة',
  confirmWeek: 'أؤكد هذا الاختيار',
  weeksToConfirm: 'أكّد كل أسبوع مشغول للمتابعة.',
  back: 'رجوع',
  pay: (p) => `احجز وادفع · ${p}`,
  holdTitle: 'بانتظار الدفع',
  timeLeft: 'الوقت المتبقي للدفع:',
  minutesLeft: (n) =>
    n === 0
      ? 'بقيت أقل من دقيقة للدفع.'
      : pick('ar', n, {
          one: 'بقيت دقيقة واحدة للدفع.',
          two: 'بقيت دقيقتان للدفع.',
          few: `بقيت ${arNumber(n)} دقائق للدفع.`,
          // many (11–99) and other (100…) take the same singular noun: "١١ دقيقة", "١٠٠ دقيقة".
          other: `بقيت ${arNumber(n)} دقيقة للدفع.`,
        }),
  timeUp: 'انتهت المهلة. جارٍ التحقق من الدفع…',
  cancelHold: 'ألغِ الحجز',
  holdExpired: 'انتهت مهلة الدفع وأُتيحت هذه المواعيد من جديد.',
  holdCancelled: 'أُلغي الحجز. صارت المواعيد متاحة من جديد.',
  chooseAgain: 'اختر المواعيد من جديد',
  manage: 'إدارة باقتي',
  addToCalendar: 'أضف إلى التقويم',
  bookAnother: 'احجز باقة أخرى',
};

export function strings(locale: string): Strings {
  return language(locale) === 'ar' ? ar : en;
}
