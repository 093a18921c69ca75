import { html, nothing, type TemplateResult } from 'lit';
import type { Tier } from '../api-client.js';
import { formatMoney, formatNumber, formatPercent } from '../format.js';
import type { GridContext } from './context.js';

/** The pack summary (sessions, price, savings) and, when the parent may choose, the tier chooser. */
export function renderPack(
  c: GridContext,
  tier: Tier | undefined,
  tiers: Tier[],
  choosable: boolean,
): TemplateResult | typeof nothing {
  if (!tier) return nothing;
  const { t, locale: L } = c;
  const n = (x: number) => formatNumber(L, x);
  const chooser =
    choosable && tiers.length > 1
      ? html`<fieldset class="tiers" ?disabled=${c.booking.locked}>
          <legend>${t.choosePack}</legend>
          ${tiers.map(
            (x) => html`<label part=${x.id === tier.id ? 'tier tier-selected' : 'tier'} class="tier">
              <input
                type="radio"
                name="tier"
                .checked=${x.id === tier.id}
                ?disabled=${c.booking.locked}
                @change=${() => c.booking.chooseTier(x.id)}
              />
              <span class="tier-name">${x.name}</span>
              <span>${t.packSplit(n(x.sessionCount), n(x.recurringCount), n(x.floatingCount))}</span>
              <strong>${formatMoney(L, x.priceMinor, x.currency)}</strong>
            </label>`,
          )}
        </fieldset>`
      : nothing;
  return html`<section part="pack" class="pack" aria-labelledby="pack-title">
    <h2 id="pack-title">${t.pack(n(tier.sessionCount))}</h2>
    <p>${t.packSplit(n(tier.sessionCount), n(tier.recurringCount), n(tier.floatingCount))}</p>
    <p class="price">
      <strong>${formatMoney(L, tier.priceMinor, tier.currency)}</strong>
      ${
        tier.savingsMinor > 0
          ? html`<s><span class="sr-only">${t.listPrice} </span>${formatMoney(L, tier.listPriceMinor, tier.currency)}</s>
            <span part="savings" class="savings"
              >${t.save(formatMoney(L, tier.savingsMinor, tier.currency), formatPercent(L, tier.discountPercent))}</span
            >`
          : nothing
      }
    </p>
    ${chooser}
  </section>`;
}
