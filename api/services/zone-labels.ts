/**
 * Time zones by name and UTC offset in a language, as `<smart-pack-grid>` writes them
 * ("Central Africa Time (GMT+2)", "توقيت وسط أفريقيا (غرينتش+2)"): the weekly grid's answer carries them
 * (`lang`), so the widget's first screen builds no `Intl.DateTimeFormat` in the browser, whose first one
 * costs a page 12–20 ms of locale start-up (README, "first paint"). widget/format.ts `zoneLabel` words the
 * same label from the browser's own `Intl` for the zones and languages an answer did not name;
 * test/e2e/first-screen.e2e.test.ts holds the two to the same text in Chromium.
 */

// Building a formatter is the expensive part; a school's pages ask for a handful of (language, zone) pairs.
const formatters = new Map<string, Intl.DateTimeFormat>();
const MAX_FORMATTERS = 256;

function zoneNamePart(
  lang: string,
  timeZone: string,
  style: 'longGeneric' | 'long' | 'shortOffset',
  ms: number,
): string {
  const key = `${lang}|${timeZone}|${style}`;
  let format = formatters.get(key);
  if (!format) {
    if (formatters.size >= MAX_FORMATTERS) formatters.delete(formatters.keys().next().value as string);
    format = new Intl.DateTimeFormat(lang, { timeZone, timeZoneName: style, numberingSystem: 'latn' });
    formatters.set(key, format);
  }
  return format.formatToParts(ms).find((p) => p.type === 'timeZoneName')?.value ?? '';
}

/** One zone's label at instant `ms` (the name can change with summer time, the offset always does). */
export function zoneLabel(lang: string, timeZone: string, ms: number): string {
  const offset = zoneNamePart(lang, timeZone, 'shortOffset', ms);
  // The generic name ("Pacific Time") reads best, but falls back to a city or an offset for some zones.
  let name = zoneNamePart(lang, timeZone, 'longGeneric', ms);
  if (!name || /\d|\//.test(name)) name = zoneNamePart(lang, timeZone, 'long', ms);
  return name && name !== offset ? `${name} (${offset})` : offset || timeZone;
}

/** Each distinct zone of `zones` by its label in `lang` at `ms`. */
export function zoneLabels(lang: string, zones: readonly (string | undefined)[], ms: number): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const zone of zones) if (zone && !(zone in labels)) labels[zone] = zoneLabel(lang, zone, ms);
  return labels;
}
