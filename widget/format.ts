/**
 * Pure date, time-zone and money helpers. No DOM, no state: everything here is unit-testable
 * and shared by the component and the demo pages.
 *
 * Teacher-local dates (`YYYY-MM-DD`) are formatted as UTC noon so that no viewer zone can shift
 * them to the neighbouring day.
 */
import type { Weekday } from '../api/contract/wire.js';

/** Same order as the API's `WEEKDAYS`; redeclared because the widget must not import runtime code from api/. */
export const WEEKDAYS: readonly Weekday[] = [
  'SUNDAY',
  'MONDAY',
  'TUESDAY',
  'WEDNESDAY',
  'THURSDAY',
  'FRIDAY',
  'SATURDAY',
];

const RTL_LANGS = new Set(['ar', 'he', 'fa', 'ur', 'ps', 'yi', 'ckb', 'dv', 'sd', 'ug']);

export const language = (locale: string): string => (locale.split(/[-_]/)[0] ?? 'en').toLowerCase();

export const isRtl = (locale: string): boolean => RTL_LANGS.has(language(locale));

/**
 * Digits: Latin (0–9) in every language, for counts, dates, times and money alike, so one page never mixes
 * "٢٠" with "20" (CLDR gives `ar` Latin digits but `ar-SD`, `ar-EG` or `ar-SA` Arabic-Indic ones, and the
 * page's `lang` decides which the parent gets). Every formatter here is built with `numberingSystem: 'latn'`.
 */
const DIGITS = { numberingSystem: 'latn' } as const;

// Intl.DateTimeFormat construction is the expensive part of formatting, so formatters are cached.
const cache = new Map<string, Intl.DateTimeFormat>();
function dtf(locale: string, opts: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = locale + JSON.stringify(opts);
  let f = cache.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(locale, { ...DIGITS, ...opts });
    cache.set(key, f);
  }
  return f;
}

/**
 * The words and patterns of the product's two languages, exactly as Chromium's `Intl` (CLDR) writes them for
 * these locales with Latin digits: the first screen builds no `Intl` formatter in them, since a page's first
 * one costs 12–20 ms of locale start-up before it formats anything (README, "first paint").
 * test/widget/format.test.ts holds every entry, locale and currency here equal to `Intl`; any other locale,
 * currency or amount goes to `Intl` as before.
 */
interface LocaleTable {
  weekdays: string[];
  short: string[];
  months: string[];
  /** "Mon, Jan 2" / "الاثنين، 2 يناير"; the year is added after. */
  date: (weekday: string, day: number, month: string) => string;
  dayMonth: (day: number, month: string) => string;
  withYear: (date: string, year: number) => string;
  money: (amount: string, currency: string) => string | undefined;
  percent: string;
}
const EN_SYMBOLS: Record<string, string> = { USD: '$', EUR: '€', GBP: '£', JPY: '¥' };
const EN_CODES = new Set(['SDG', 'SAR', 'AED', 'EGP', 'QAR', 'KWD', 'OMR', 'BHD']);
const AR_SYMBOLS: Record<string, string> = {
  SDG: 'ج.س.',
  USD: 'US$',
  EUR: '€',
  GBP: 'UK£',
  JPY: 'JP¥',
  SAR: 'ر.س.\u200f',
  AED: 'د.إ.\u200f',
  EGP: 'ج.م.\u200f',
  QAR: 'ر.ق.\u200f',
  KWD: 'د.ك.\u200f',
  OMR: 'ر.ع.\u200f',
  BHD: 'د.ب.\u200f',
};
/** ISO 4217 minor digits of the tabled currencies that do not have two. */
const CURRENCY_DIGITS: Record<string, number> = { JPY: 0, KWD: 3, OMR: 3, BHD: 3 };
const EN: LocaleTable = {
  weekdays: 'Sunday|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday'.split('|'),
  short: 'Sun|Mon|Tue|Wed|Thu|Fri|Sat'.split('|'),
  months: 'Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec'.split('|'),
  date: (w, d, m) => `${w}, ${m} ${d}`,
  dayMonth: (d, m) => `${m} ${d}`,
  withYear: (date, y) => `${date}, ${y}`,
  money: (amount, c) => (EN_SYMBOLS[c] ? EN_SYMBOLS[c] + amount : EN_CODES.has(c) ? `${c}\u00a0${amount}` : undefined),
  percent: '%',
};
const AR_DAYS = 'الأحد|الاثنين|الثلاثاء|الأربعاء|الخميس|الجمعة|السبت'.split('|');
const AR: LocaleTable = {
  weekdays: AR_DAYS,
  short: AR_DAYS,
  months: 'يناير|فبراير|مارس|أبريل|مايو|يونيو|يوليو|أغسطس|سبتمبر|أكتوبر|نوفمبر|ديسمبر'.split('|'),
  date: (w, d, m) => `${w}، ${d} ${m}`,
  dayMonth: (d, m) => `${d} ${m}`,
  withYear: (date, y) => `${date} ${y}`,
  money: (amount, c) => (AR_SYMBOLS[c] ? `\u200f${amount}\u00a0${AR_SYMBOLS[c]}` : undefined),
  percent: '\u200e%\u200e',
};
/**
 * The locales whose formats are the tables' (others of the same language differ: en-GB "Sept", ar-JO "أيلول",
 * ar-SA's percent sign "٪").
 */
export const TABLED_LOCALES: Readonly<Record<string, LocaleTable>> = {
  en: EN,
  'en-US': EN,
  ar: AR,
  'ar-SD': AR,
  'ar-EG': AR,
  'ar-AE': AR,
  'ar-QA': AR,
  'ar-KW': AR,
  'ar-OM': AR,
  'ar-BH': AR,
};
const tabled = (locale: string): LocaleTable | undefined =>
  Object.hasOwn(TABLED_LOCALES, locale) ? TABLED_LOCALES[locale] : undefined;

/** Whole units with "," every three digits, as both tables group (and every tabled locale does). */
const grouped = (n: number): string => String(n).replace(/\B(?=(\d{3})+$)/g, ',');

// Zone names the API gave for a locale and instant (the grid's answer with `lang`), before any Intl is built.
const knownLabels = new Map<string, string>();
const labelKey = (locale: string, timeZone: string, ms: number) => `${locale}|${timeZone}|${ms}`;

/** Keeps the names an answer gave (`zoneLabels`, at its `windowStart`) for `zoneLabel` in `locale`. */
export function knowZoneLabels(locale: string, ms: number, labels: Record<string, string>): void {
  for (const [zone, label] of Object.entries(labels)) knownLabels.set(labelKey(locale, zone, ms), label);
}

/**
 * A time zone by its name in `locale` with its UTC offset at `ms`, e.g. "Central Africa Time (GMT+2)",
 * "توقيت وسط أفريقيا (غرينتش+2)"; never the raw IANA id (unless the browser has no name for it at all).
 */
export function zoneLabel(locale: string, timeZone: string, ms: number): string {
  const known = knownLabels.get(labelKey(locale, timeZone, ms));
  if (known !== undefined) return known;
  const part = (timeZoneName: 'longGeneric' | 'long' | 'shortOffset') =>
    dtf(locale, { timeZone, timeZoneName })
      .formatToParts(ms)
      .find((p) => p.type === 'timeZoneName')?.value ?? '';
  const offset = part('shortOffset');
  // longGeneric falls back to a city or an offset for some zones; 'long' then names them better.
  let name = part('longGeneric');
  if (!name || /\d|\//.test(name)) name = part('long');
  return name && name !== offset ? `${name} (${offset})` : offset || timeZone;
}

/** Whole days from the teacher-local `date` to the viewer-local `other` (+1: the viewer is a day ahead). */
export const dayDiff = (date: string, other: string): number =>
  Math.round((parseDate(other) - parseDate(date)) / 86_400_000);

// Regions whose week starts on Sunday or Saturday (CLDR weekData); everything else starts on Monday.
// Only used when the browser lacks Intl.Locale week info (Firefox before 130, older Safari).
const SUNDAY_REGIONS = new Set(
  'US CA MX BR AR CO PE VE JP KR CN TW HK IN IL SA YE PH TH ZA ZW KE ET PK BD NP AU'.split(' '),
);
const SATURDAY_REGIONS = new Set('AE BH DJ DZ EG IQ IR JO KW LY OM QA SD SY AF'.split(' '));

/**
 * First day of the week for a locale, 0 = Sunday … 6 = Saturday.
 *
 * Uses `Intl.Locale#getWeekInfo()` (or the older `weekInfo` getter) where available. Fallback:
 * the region decides (CLDR); without a region, `ar` → Saturday (CLDR's likely region for `ar` is
 * Egypt, and Sudan — this product's home market — also starts on Saturday, so `ar-SD` → Saturday),
 * `en` → Sunday (likely region US), anything else → Monday. `ar-SA` → Sunday, `en-GB` → Monday.
 */
const firstDays = new Map<string, number>();
export function firstDayOfWeek(locale: string): number {
  // Locale week data is slow to build in Chromium and asked for on every render.
  let day = firstDays.get(locale);
  if (day === undefined) firstDays.set(locale, (day = computeFirstDay(locale)));
  return day;
}

function computeFirstDay(locale: string): number {
  // The common cases come from the table: building Intl.Locale week data costs ~100 ms of ICU
  // loading on a cold Chromium page, which is a third of the budget for the first grid.
  const [, language = '', region = ''] =
    /^([a-z]{2,3})(?:[-_][A-Za-z]{4})?(?:[-_]([A-Z]{2}))?(?:[-_]|$)/i.exec(locale) ?? [];
  const upper = region.toUpperCase();
  if (SATURDAY_REGIONS.has(upper) || SUNDAY_REGIONS.has(upper)) return fallbackFirstDay(upper, language.toLowerCase());
  if (!region && (language === 'ar' || language === 'en')) return fallbackFirstDay('', language);
  try {
    const loc = new Intl.Locale(locale) as Intl.Locale & {
      getWeekInfo?: () => { firstDay: number };
      weekInfo?: { firstDay: number };
    };
    const info = loc.getWeekInfo?.() ?? loc.weekInfo;
    // weekInfo counts 1 = Monday … 7 = Sunday.
    if (info && typeof info.firstDay === 'number') return info.firstDay % 7;
    const region = loc.region ?? loc.maximize().region;
    if (region) return fallbackFirstDay(region, loc.language);
    return fallbackFirstDay('', loc.language);
  } catch {
    return 1;
  }
}

export function fallbackFirstDay(region: string, lang: string): number {
  if (!region) return lang === 'ar' ? 6 : lang === 'en' ? 0 : 1;
  if (SATURDAY_REGIONS.has(region)) return 6;
  if (SUNDAY_REGIONS.has(region)) return 0;
  return 1;
}

/** The seven weekdays in the order a person of this locale reads a week. */
export function weekdaysInLocaleOrder(locale: string): Weekday[] {
  const first = firstDayOfWeek(locale);
  return WEEKDAYS.map((_, i) => WEEKDAYS[(first + i) % 7]!);
}

export const weekdayIndex = (w: Weekday): number => WEEKDAYS.indexOf(w);

function parseDate(date: string): number {
  const [y, m, d] = date.split('-').map(Number);
  return Date.UTC(y!, m! - 1, d!, 12);
}

export function weekdayOfDate(date: string): Weekday {
  return WEEKDAYS[new Date(parseDate(date)).getUTCDay()]!;
}

export function addDays(date: string, days: number): string {
  return new Date(parseDate(date) + days * 86_400_000).toISOString().slice(0, 10);
}

/** Localised weekday name; 2023-01-01 was a Sunday. */
export function weekdayName(locale: string, w: Weekday, width: 'long' | 'short' = 'long'): string {
  const table = tabled(locale);
  if (table) return (width === 'long' ? table.weekdays : table.short)[weekdayIndex(w)]!;
  return dtf(locale, { weekday: width, timeZone: 'UTC' }).format(Date.UTC(2023, 0, 1 + weekdayIndex(w), 12));
}

/** A teacher-local calendar date, e.g. "Mon, Jan 12". */
export function formatDate(locale: string, date: string, withYear = false): string {
  const table = tabled(locale);
  if (table) {
    const at = new Date(parseDate(date));
    const text = table.date(table.short[at.getUTCDay()]!, at.getUTCDate(), table.months[at.getUTCMonth()]!);
    return withYear ? table.withYear(text, at.getUTCFullYear()) : text;
  }
  const opts: Intl.DateTimeFormatOptions = { weekday: 'short', day: 'numeric', month: 'short', timeZone: 'UTC' };
  if (withYear) opts.year = 'numeric';
  return dtf(locale, opts).format(parseDate(date));
}

/** A teacher-local date as day and month only, e.g. "Jan 12", "12 يناير" (the day view's strip). */
export function formatDayMonth(locale: string, date: string): string {
  const table = tabled(locale);
  const at = new Date(parseDate(date));
  if (table) return table.dayMonth(at.getUTCDate(), table.months[at.getUTCMonth()]!);
  return dtf(locale, { day: 'numeric', month: 'short', timeZone: 'UTC' }).format(at);
}

/**
 * The languages whose 24-hour clock and small whole numbers, in Latin digits, are exactly the ASCII text
 * (`09:05`, `999`: test/widget/format.test.ts checks it against Intl): they skip building a formatter, which
 * on a cold page costs tens of milliseconds each, a large share of the first grid's paint.
 */
const PLAIN = new Set(['en', 'ar']);

/** A wall-clock `HH:mm` in the locale's digits, always 24 h so that grid rows line up. */
export function formatClock(locale: string, time: string): string {
  const [h, m] = time.split(':').map(Number);
  // 24:00 is a valid exclusive end in the API but not a Date; render it literally.
  if (h === 24 || (PLAIN.has(language(locale)) && /^\d\d:\d\d$/.test(time))) return time;
  return dtf(locale, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: 'UTC' }).format(
    Date.UTC(2023, 0, 1, h!, m!),
  );
}

/**
 * `Temporal` where the browser has it (Chromium 144+, Firefox 139+): zone ids and offsets from it need no
 * locale data, so the first screen builds no `Intl` formatter for them (README, "first paint", says what the
 * first one costs). Typed here as far as it is used; elsewhere `Intl` answers the same.
 */
interface TemporalSubset {
  Now: { timeZoneId(): string };
  Instant: {
    fromEpochMilliseconds(ms: number): { toZonedDateTimeISO(timeZone: string): { offsetNanoseconds: number } };
  };
}
const temporal = (globalThis as { Temporal?: TemporalSubset }).Temporal;

/** Offset of `timeZone` from UTC at instant `ms`, in ms (throws a RangeError for an unknown zone). */
export function zoneOffset(ms: number, timeZone: string): number {
  if (temporal)
    return (
      temporal.Instant.fromEpochMilliseconds(Math.floor(ms / 1000) * 1000).toZonedDateTimeISO(timeZone)
        .offsetNanoseconds / 1e6
    );
  const parts = dtf('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  }).formatToParts(ms);
  const get = (t: string) => Number(parts.find((p) => p.type === t)?.value ?? 0);
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour') % 24, get('minute'), get('second'));
  return asUtc - Math.floor(ms / 1000) * 1000;
}

/** The UTC instant of a wall-clock date + time in `timeZone` (two passes settle DST edges). */
export function zonedToUtc(date: string, time: string, timeZone: string): number {
  const [h, m] = time.split(':').map(Number);
  const wall = parseDate(date) - 12 * 3_600_000 + (h! * 60 + m!) * 60_000;
  let t = wall - zoneOffset(wall, timeZone);
  const second = wall - zoneOffset(t, timeZone);
  if (second !== t) t = second;
  return t;
}

/** Local date, time and weekday of an instant in `timeZone`. */
export function instantIn(ms: number, timeZone: string): { date: string; time: string; weekday: Weekday } {
  const local = new Date(ms + zoneOffset(ms, timeZone));
  const iso = local.toISOString();
  return { date: iso.slice(0, 10), time: iso.slice(11, 16), weekday: WEEKDAYS[local.getUTCDay()]! };
}

/** True when the two zones show different wall-clock times at `ms`. */
export const zonesDiffer = (a: string, b: string, ms: number): boolean =>
  a !== b && zoneOffset(ms, a) !== zoneOffset(ms, b);

export function safeTimeZone(tz: string | undefined): string | undefined {
  // An IANA id only: Temporal would also take an ISO date-time ("2024-01-01T00:00Z[Asia/Tokyo]") as a zone.
  if (!tz || !/^[A-Za-z][A-Za-z0-9_+\-/]*$/.test(tz)) return undefined;
  try {
    if (temporal) zoneOffset(0, tz);
    else dtf('en-US', { timeZone: tz });
    return tz;
  } catch {
    return undefined;
  }
}

/** Money from integer minor units, using the currency's own fraction digits (SDG 2, JPY 0, KWD 3). */
export function formatMoney(locale: string, minor: number, currency: string): string {
  const table = tabled(locale);
  if (table && Number.isSafeInteger(minor) && minor >= 0) {
    const digits = CURRENCY_DIGITS[currency] ?? 2;
    const unit = 10 ** digits;
    const amount = grouped(Math.floor(minor / unit)) + (digits ? `.${String(minor % unit).padStart(digits, '0')}` : '');
    const text = table.money(amount, currency);
    if (text !== undefined) return text;
  }
  const nf = numberFormat(locale, { style: 'currency', currency });
  const digits = nf.resolvedOptions().maximumFractionDigits ?? 2;
  return nf.format(minor / 10 ** digits);
}

// Like the date formatters, number formatters are costly to build and reused on every render.
const numberFormats = new Map<string, Intl.NumberFormat>();
function numberFormat(locale: string, opts: Intl.NumberFormatOptions = {}): Intl.NumberFormat {
  const key = locale + JSON.stringify(opts);
  let f = numberFormats.get(key);
  if (!f) numberFormats.set(key, (f = new Intl.NumberFormat(locale, { ...DIGITS, ...opts })));
  return f;
}

export const formatNumber = (locale: string, n: number): string =>
  PLAIN.has(language(locale)) && Number.isInteger(n) && n >= 0 && n < 1000 ? String(n) : numberFormat(locale).format(n);

export function formatPercent(locale: string, percent: number): string {
  const table = tabled(locale);
  if (table && Number.isInteger(percent) && percent >= 0 && percent <= 100) return `${percent}${table.percent}`;
  return numberFormat(locale, { style: 'percent', maximumFractionDigits: 1 }).format(percent / 100);
}

let browserZone: string | undefined;
/** The browser's own time zone, read once. */
export function browserTimeZone(): string {
  return (browserZone ??= temporal?.Now.timeZoneId() ?? Intl.DateTimeFormat().resolvedOptions().timeZone);
}

/** A countdown `m:ss` (minutes may pass 59: a hold lasts up to 120) in the locale's digits, from ms left. */
export function formatCountdown(locale: string, ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const two = numberFormat(locale, { minimumIntegerDigits: 2 });
  return `${formatNumber(locale, Math.floor(total / 60))}:${two.format(total % 60)}`;
}

/**
 * A time zone by its name in the page's language with its UTC offset at `ms` ("Central Africa Time, GMT+2";
 * in Arabic "توقيت وسط أفريقيا، غرينتش+٢"), never the raw IANA id unless the browser knows no name.
 */
export function formatZone(locale: string, timeZone: string, ms: number = Date.now()): string {
  const part = (timeZoneName: Intl.DateTimeFormatOptions['timeZoneName']) => {
    try {
      return dtf(locale, { timeZone, timeZoneName })
        .formatToParts(ms)
        .find((p) => p.type === 'timeZoneName')?.value;
    } catch {
      return undefined;
    }
  };
  const name = part('long');
  const offset = part('shortOffset');
  if (!name) return timeZone;
  return offset && offset !== name ? `${name}${language(locale) === 'ar' ? '، ' : ', '}${offset}` : name;
}
