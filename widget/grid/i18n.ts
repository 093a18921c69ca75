/**
 * UI strings of `<smart-pack-grid>` in English and Arabic. Dates, weekday names and money arrive already
 * formatted by Intl (../format.ts); counts arrive as numbers, and each string chooses its form through
 * Intl.PluralRules (English one/other; Arabic all six categories: zero, one, two, few, many, other) and
 * formats the number itself with the page's digits (Latin digits in both languages: see format.ts).
 *
 * Arabic counted nouns: one and two are words of their own ("حصة واحدة", "حصتان"), 3–10 take the plural
 * ("3 حصص"), 11–99 the accusative singular ("11 حصة", "11 أسبوعًا"), 100 and up (and 0) the singular
 * ("100 حصة"). Sentences are written so that no adjective or verb has to agree with a number it does not
 * see (a count is followed by its noun, its adjective agreeing with that form).
 */
import type { ConflictReason } from '../../api/contract/wire.js';
import { formatNumber, language } from '../format.js';
import { ar, en, plural } from '../plural.js';

export interface Strings {
  loading: string;
  loadError: string;
  /** The teacher (or the fixed tier) does not exist for this school: nothing a retry can fix. */
  notBookable: string;
  /** The fixed `tier-id` is not one this teacher sells. */
  tierNotBookable: string;
  retry: string;
  empty: string;
  choosePack: string;
  pack: (n: number) => string;
  packSplit: (n: number, r: number, f: number) => string;
  save: (amount: string, percent: string) => string;
  listPrice: string;
  gridTitle: (r: number) => string;
  time: string;
  legendFree: string;
  legendPartial: (weeks: number) => string;
  legendSelected: string;
  legendUnavailable: string;
  legendEmpty: string;
  freeAll: string;
  freeSome: (free: number, weeks: number) => string;
  taken: string;
  /** Said (polite live region) when a taken slot is clicked or pressed: the slot, then why. */
  takenSlot: (slot: string, why: string) => string;
  /** "+1 day" / "−1 day": the viewer's date is `days` away from the teacher's. */
  dayShift: (days: number) => string;
  maxSlots: (max: number) => string;
  perWeek: (n: number) => string;
  division: (r: number, n: number, weeks: number) => string;
  extraWeeks: (n: number) => string;
  pickHint: string;
  checking: string;
  checkFailed: string;
  sessionsTitle: (n: number) => string;
  session: (n: number) => string;
  altBadge: string;
  yourTime: string;
  conflictsTitle: string;
  reason: Record<ConflictReason, string>;
  insteadThisWeek: string;
  replaceSlot: string;
  skipWeek: string;
  makeFloating: string;
  floatingTitle: (n: number) => string;
  floatingBy: (date: string) => string;
  floatingAfter: (days: number) => string;
  tzTeacher: (tz: string) => string;
  tzViewer: (tz: string) => string;
  /** The day view's strip of days (a tablist). */
  daysLabel: string;
  /** A day chip's free count. */
  freeCount: (n: number) => string;
  /** The day view's slot list heading, for `day` (a weekday name). */
  daySlots: (day: string) => string;
  buy: (price: string) => string;
  buying: string;
  needStudent: string;
  /** The child chooser's legend, when the parent token names several children. */
  childLegend: string;
  chooseChild: string;
  networkError: string;
  tryAgain: string;
  slotTaken: (slots: string) => string;
  /** The chosen pack's times could not be loaded (the server is unreachable); the widget stays. */
  tierFailed: string;
  purchased: string;
  purchasedDetail: (n: number, first: string, f: number, by: string) => string;
  reference: (id: string) => string;
  announceOk: (n: number, weeks: number) => string;
  announceConflicts: (n: number) => string;
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
  /** Whole minutes left (0: less than one), for the polite live region. */
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

const enSessions = en('session');
const enWeeks = en('week');
const enDays = en('day');
const arSessions = ar('حصة واحدة', 'حصتان', 'حصص', 'حصة');
const arRecurring = ar('حصة متكررة واحدة', 'حصتان متكررتان', 'حصص متكررة', 'حصة متكررة');
const arFloating = ar('حصة مرنة واحدة', 'حصتان مرنتان', 'حصص مرنة', 'حصة مرنة');
const arWeeks = ar('أسبوع واحد', 'أسبوعان', 'أسابيع', 'أسبوع', 'أسبوعًا');
const arDays = ar('يوم واحد', 'يومان', 'أيام', 'يوم', 'يومًا');
const arTimes = ar('موعد أسبوعي واحد', 'موعدان أسبوعيان', 'مواعيد أسبوعية', 'موعد أسبوعي', 'موعدًا أسبوعيًا');
/** "ل" joined to an Arabic word ("لسارة", "للحسن" for "الحسن"); "لـ" before a word in another script. */
const li = (word: string) =>
  word.startsWith('ال') ? `لل${word.slice(2)}` : /^[\u0600-\u06ff]/.test(word) ? `ل${word}` : `لـ${word}`;
const arOnce = ar('مرة واحدة', 'مرتان', 'مرات', 'مرة');
// Accusative/genitive of the dual after a preposition or as an object ("على أسبوعين", "من أسبوعين").
const arWeeksAfter = (n: number) => (n === 2 ? 'أسبوعين' : arWeeks(n));

const EN: Strings = {
  loading: 'Loading available times…',
  loadError: 'We could not load this teacher’s times.',
  notBookable: 'This teacher is not available for booking.',
  tierNotBookable: 'This pack is not available for booking.',
  retry: 'Retry',
  empty: 'This teacher has no free weekly slots right now.',
  choosePack: 'Choose your pack',
  pack: (n) => `Smart Pack: ${enSessions(n)}`,
  packSplit: (n, r, f) => `${enSessions(n)} = ${r} recurring + ${f} floating`,
  save: (a, p) => `You save ${a} (${p})`,
  listPrice: 'List price',
  gridTitle: (r) =>
    `Pick your weekly times for ${plural('en', r, { one: '# recurring session', other: '# recurring sessions' })}`,
  time: 'Time',
  legendFree: 'free every week',
  legendPartial: (w) => `n/${formatNumber('en', w)} = free only n of ${enWeeks(w)}`,
  legendSelected: 'selected',
  legendUnavailable: 'taken',
  legendEmpty: 'empty = not offered',
  freeAll: 'free every week',
  freeSome: (f, w) => `free ${formatNumber('en', f)} of ${enWeeks(w)}`,
  taken: 'taken',
  takenSlot: (s, why) => `Taken: ${s}${why ? ` (${why})` : ''}.`,
  dayShift: (d) => `${d > 0 ? '+' : '−'}${enDays(Math.abs(d))}`,
  maxSlots: (m) =>
    `You can pick up to ${plural('en', m, { one: '# weekly time', other: '# weekly times' })}. Unselect one to choose another.`,
  perWeek: (n) => `${formatNumber('en', n)}×/week`,
  division: (r, n, w) => `${enSessions(r)} ÷ ${formatNumber('en', n)}/week = ${enWeeks(w)}`,
  extraWeeks: (n) => `+${enWeeks(n)} for skipped dates`,
  pickHint: 'Select 1 to 4 weekly times.',
  checking: 'Checking your dates…',
  checkFailed: 'We could not check these times.',
  sessionsTitle: (n) => plural('en', n, { one: 'Your scheduled session', other: 'Your # scheduled sessions' }),
  session: (n) => `Session ${formatNumber('en', n)}`,
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
  floatingTitle: (n) => plural('en', n, { one: '# floating session', other: '# floating sessions' }),
  floatingBy: (d) => `Book them any time before ${d}.`,
  floatingAfter: (d) => `Book them any time up to ${enDays(d)} after your last session.`,
  tzTeacher: (tz) => `Times in the teacher’s time zone: ${tz}`,
  tzViewer: (tz) => `your time in italics: ${tz}`,
  daysLabel: 'Days',
  freeCount: (n) => plural('en', n, { one: '# free', other: '# free' }),
  daySlots: (d) => `Times on ${d}`,
  buy: (p) => `Buy pack · ${p}`,
  buying: 'Buying…',
  needStudent: 'Sign in to buy this pack.',
  childLegend: 'Who is this pack for?',
  chooseChild: 'Choose your child to buy.',
  networkError: 'The connection failed. Try again — you will never be charged twice.',
  tryAgain: 'Try again',
  slotTaken: (s) => `Someone just booked ${s}. We re-checked your dates — please review them.`,
  tierFailed: 'We could not load the times for this pack.',
  purchased: 'Booked! Your pack is confirmed.',
  purchasedDetail: (n, first, f, by) =>
    `${plural('en', n, { one: '# session scheduled', other: '# sessions scheduled' })} from ${first}.` +
    (f ? ` ${plural('en', f, { one: '# floating session', other: '# floating sessions' })} to book before ${by}.` : ''),
  reference: (id) => `Reference ${id}`,
  announceOk: (n, w) => `${enSessions(n)} ${plural('en', n, { one: 'fits', other: 'fit' })} in ${enWeeks(w)}.`,
  announceConflicts: (n) => plural('en', n, { one: '# week needs a choice.', other: '# weeks need a choice.' }),
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
      : plural('en', n, { one: '# minute left to pay.', other: '# minutes left to pay.' }),
  timeUp: 'Time is up. Checking your payment…',
  cancelHold: 'Cancel reservation',
  holdExpired: 'The time to pay ran out and these times were released.',
  holdCancelled: 'Reservation cancelled. The times are free again.',
  chooseAgain: 'Choose times again',
  manage: 'Manage my pack',
  addToCalendar: 'Add to calendar',
  bookAnother: 'Book another pack',
};

const AR: Strings = {
  loading: 'جارٍ تحميل المواعيد المتاحة…',
  loadError: 'تعذّر تحميل مواعيد هذا المعلم.',
  notBookable: 'هذا المعلم غير متاح للحجز.',
  tierNotBookable: 'هذه الباقة غير متاحة للحجز.',
  retry: 'إعادة المحاولة',
  empty: 'لا توجد لدى هذا المعلم مواعيد أسبوعية متاحة حالياً.',
  choosePack: 'اختر باقتك',
  pack: (n) => `الباقة الذكية: ${arSessions(n)}`,
  // "10 حصص: 8 حصص متكررة وحصتان مرنتان"; a pack without floating sessions names none.
  packSplit: (n, r, f) => `${arSessions(n)}: ${arRecurring(r)}${f ? ` و${arFloating(f)}` : ''}`,
  save: (a, p) => `توفّر ${a} (${p})`,
  listPrice: 'السعر الأصلي',
  gridTitle: (r) => `اختر مواعيدك الأسبوعية ${li(r === 2 ? 'حصتين متكررتين' : arRecurring(r))}`,
  time: 'الوقت',
  legendFree: 'متاح كل أسبوع',
  legendPartial: (w) => `n/${formatNumber('ar', w)} = متاح n من ${arWeeksAfter(w)} فقط`,
  legendSelected: 'مختار',
  legendUnavailable: 'محجوز',
  legendEmpty: 'الخانة الفارغة = غير متاح',
  freeAll: 'متاح كل أسبوع',
  freeSome: (f, w) => `متاح ${formatNumber('ar', f)} من ${arWeeksAfter(w)}`,
  taken: 'محجوز',
  takenSlot: (s, why) => `محجوز: ${s}${why ? ` (${why})` : ''}.`,
  dayShift: (d) => `${d > 0 ? '+' : '−'}${d === 1 || d === -1 ? 'يوم' : arDays(Math.abs(d))}`,
  maxSlots: (m) => `يمكنك اختيار ${arTimes(m)} كحد أقصى. ألغِ اختيار موعد لتختار غيره.`,
  perWeek: (n) => `${arOnce(n)} أسبوعياً`,
  // "8 حصص ÷ مرتان أسبوعياً = 4 أسابيع"
  division: (r, n, w) => `${arSessions(r)} ÷ ${arOnce(n)} أسبوعياً = ${arWeeks(w)}`,
  extraWeeks: (n) => `+${arWeeks(n)} بسبب التواريخ المتخطاة`,
  pickHint: 'اختر من 1 إلى 4 مواعيد أسبوعية.',
  checking: 'جارٍ التحقق من التواريخ…',
  checkFailed: 'تعذّر التحقق من هذه المواعيد.',
  sessionsTitle: (n) => `حصصك المجدولة: ${arSessions(n)}`,
  session: (n) => `الحصة ${formatNumber('ar', n)}`,
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
  floatingTitle: (n) => arFloating(n),
  floatingBy: (d) => `احجزها في أي وقت قبل ${d}.`,
  floatingAfter: (d) => `احجزها في أي وقت خلال ${arDays(d)} بعد آخر حصة.`,
  tzTeacher: (tz) => `الأوقات بتوقيت المعلم: ${tz}`,
  tzViewer: (tz) => `وتوقيتك بخط مائل: ${tz}`,
  daysLabel: 'الأيام',
  freeCount: (n) => `${formatNumber('ar', n)} متاح`,
  daySlots: (d) => `مواعيد يوم ${d}`,
  buy: (p) => `اشترِ الباقة · ${p}`,
  buying: 'جارٍ الشراء…',
  needStudent: 'سجّل الدخول لشراء هذه الباقة.',
  childLegend: 'لمن هذه الباقة؟',
  chooseChild: 'اختر طفلك لإتمام الشراء.',
  networkError: 'انقطع الاتصال. حاول مجدداً — لن يُخصم المبلغ مرتين أبداً.',
  tryAgain: 'حاول مجدداً',
  slotTaken: (s) => `حجز شخص آخر ${s} للتو. أعدنا التحقق من تواريخك — يرجى مراجعتها.`,
  tierFailed: 'تعذّر تحميل مواعيد هذه الباقة.',
  purchased: 'تم الحجز! باقتك مؤكدة.',
  // "المجدول: 8 حصص ابتداءً من … والمرن: حصتان مرنتان تُحجزان قبل …" would need the verb to agree; a
  // label before each count keeps every number next to its own noun.
  purchasedDetail: (n, first, f, by) =>
    `المجدول: ${arSessions(n)} ابتداءً من ${first}.` + (f ? ` للحجز قبل ${by}: ${arFloating(f)}.` : ''),
  reference: (id) => `المرجع ${id}`,
  announceOk: (n, w) => `${arSessions(n)} على ${arWeeksAfter(w)}.`,
  announceConflicts: (n) => `أسابيع تحتاج إلى اختيار: ${arWeeks(n)}.`,
  continue: 'متابعة',
  reviewTitle: 'راجع باقتك',
  reviewFor: (child) => li(child),
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
      : plural('ar', n, {
          one: 'بقيت دقيقة واحدة للدفع.',
          two: 'بقيت دقيقتان للدفع.',
          few: 'بقيت # دقائق للدفع.',
          // many (11–99) and other (100…) take the same singular noun: "11 دقيقة", "100 دقيقة".
          other: 'بقيت # دقيقة للدفع.',
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
  return language(locale) === 'ar' ? AR : EN;
}
