/**
 * Counted phrases in English and Arabic, shared by the elements' string tables: the form Intl.PluralRules
 * chooses (English one/other; Arabic all six categories), with `#` replaced by the number in the page's digits.
 */
import { formatNumber } from './format.js';

export type Plural = Partial<Record<Intl.LDMLPluralRule, string>> & { other: string };

const pluralRules = new Map<string, Intl.PluralRules>();
/** The form of `forms` Intl.PluralRules chooses for `n` in `lang`, with `#` replaced by the formatted number. */
export function plural(lang: 'en' | 'ar', n: number, forms: Plural): string {
  let rules = pluralRules.get(lang);
  if (!rules) pluralRules.set(lang, (rules = new Intl.PluralRules(lang)));
  return (forms[rules.select(n)] ?? forms.other).replace('#', formatNumber(lang, n));
}

/** An English count: "1 session", "2 sessions" (`other` when the plural is not `one` + "s"). */
export const en =
  (one: string, other = `${one}s`) =>
  (n: number) =>
    plural('en', n, { one: `# ${one}`, other: `# ${other}` });

/**
 * An Arabic count: `one` and `two` are whole words; `few` (3–10) the plural after the number; `sing` the
 * singular after 100, 0 (and, unless `many` says otherwise, 11–99).
 */
export const ar =
  (one: string, two: string, few: string, sing: string, many = sing) =>
  (n: number) =>
    plural('ar', n, { zero: `# ${sing}`, one, two, few: `# ${few}`, many: `# ${many}`, other: `# ${sing}` });
