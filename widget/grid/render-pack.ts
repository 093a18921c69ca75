import { html, nothing, type TemplateResult } from 'lit';
import type { Tier } from '../api-client.js';
import { formatMoney, formatPercent } from '../format.js';
import { tierName, type GridContext } from './context.js';

/**
 * The pack summary (sessions, price, savings) and, when the parent may choose, the tier chooser: a radio
 * card per tier, or on a phone (`compact`) one native select above a one-line summary, so the first free
 * time is still in the first screen.
 */
export function renderPack(
  c: GridContext,
  tier: Tier | undefined,
  tiers: Tier[],
  choosable: boolean,
  compact = false,
): TemplateResult | typeof nothing {
  if (!tier) return nothing;
  const { t, locale: L, booking } = c;
  const money = (x: Tier) => formatMoney(L, x.priceMinor, x.currency);
  const choosing = choosable && tiers.length > 1;
  const chooser = !choosing
    ? nothing
    : compact
      ? html`<label class="tier-pick"
          >${t.choosePack}
          <select
            part="tier-select"
            ?disabled=${booking.locked}
            @change=${(e: Event) => booking.chooseTier((e.target as HTMLSelectElement).value)}
          >
            ${tiers.map(
              (x) => html`<option value=${x.id} ?selected=${x.id === tier.id}>${tierName(L, x)} · ${money(x)}</option>`,
            )}
          </select></label
        >`
      : html`<fieldset class="tiers" ?disabled=${booking.locked}>
          <legend>${t.choosePack}</legend>
          ${tiers.map(
            (x) => html`<label part=${x.id === tier.id ? 'tier tier-selected' : 'tier'} class="tier">
              <input
                type="radio"
                name="tier"
                .checked=${x.id === tier.id}
                ?disabled=${booking.locked}
                @change=${() => booking.chooseTier(x.id)}
              />
              <span class="tier-name">${tierName(L, x)}</span>
              <span>${t.packSplit(x.sessionCount, x.recurringCount, x.floatingCount)}</span>
              <strong>${money(x)}</strong>
            </label>`,
          )}
        </fieldset>`;
  return html`<section part="pack" class="pack${compact ? ' compact' : ''}" aria-labelledby="pack-title">
    <h2 id="pack-title">${compact ? tierName(L, tier) : t.pack(tier.sessionCount)}</h2>
    ${compact ? chooser : nothing}
    <p>${t.packSplit(tier.sessionCount, tier.recurringCount, tier.floatingCount)}</p>
    <p class="price">
      <strong>${money(tier)}</strong>
      ${
        tier.savingsMinor > 0
          ? html`<s><span class="sr-only">${t.listPrice} </span>${formatMoney(L, tier.listPriceMinor, tier.currency)}</s>
            <span part="savings" class="savings"
              >${t.save(formatMoney(L, tier.savingsMinor, tier.currency), formatPercent(L, tier.discountPercent))}</span
            >`
          : nothing
      }
    </p>
    ${compact ? nothing : chooser}
  </section>`;
}
