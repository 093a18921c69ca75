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
 * A time zone by its name in `locale` with its UTC offset at `ms`, e.g. "Central Africa Time (GMT+2)",
 * "توقيت وسط أفريقيا (غرينتش+2)"; never the raw IANA id (unless the browser has no name for it at all).
 */
export function zoneLabel(locale: string, timeZone: string, ms: number): string {
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
  return dtf(locale, { weekday: width, timeZone: 'UTC' }).format(Date.UTC(2023, 0, 1 + weekdayIndex(w), 12));
}

/** A teacher-local calendar date, e.g. "Mon, Jan 12". */
export function formatDate(locale: string, date: string, withYear = false): string {
  const opts: Intl.DateTimeFormatOptions = { weekday: 'short', day: 'numeric', month: 'short', timeZone: 'UTC' };
  if (withYear) opts.year = 'numeric';
  return dtf(locale, opts).format(parseDate(date));
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

/** Offset of `timeZone` from UTC at instant `ms`, in ms. */
export function zoneOffset(ms: number, timeZone: string): number {
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
  if (!tz) return undefined;
  try {
    dtf('en-US', { timeZone: tz });
    return tz;
  } catch {
    return undefined;
  }
}

/** Money from integer minor units, using the currency's own fraction digits (SDG 2, JPY 0, KWD 3). */
export function formatMoney(locale: string, minor: number, currency: string): string {
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

/**
 * Builds, while the first answers are still on the wire, the formatters the first screen will ask for (the
 * caches above keep them): Chromium loads ICU data per kind of formatter on first use, tens of milliseconds
 * each on a cold page, which would otherwise all fall between the answers' arrival and the grid's paint.
 */
export function prewarmFormatters(locale: string, zones: readonly string[]): void {
  try {
    numberFormat(locale).format(1000);
    numberFormat(locale, { style: 'percent', maximumFractionDigits: 1 }).format(0.05);
    weekdayName(locale, 'MONDAY');
    weekdayName(locale, 'MONDAY', 'short');
    formatDate(locale, '2023-01-02');
    const now = Date.now();
    for (const zone of zones) {
      zoneOffset(now, zone);
      zoneLabel(locale, zone, now);
    }
  } catch {
    // An unknown zone or locale fails later where it is used, with its own fallback.
  }
}

export const formatPercent = (locale: string, percent: number): string =>
  numberFormat(locale, { style: 'percent', maximumFractionDigits: 1 }).format(percent / 100);

let browserZone: string | undefined;
/** The browser's own time zone, read once. */
export function browserTimeZone(): string {
  return (browserZone ??= Intl.DateTimeFormat().resolvedOptions().timeZone);
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
