// The demo's checkout (npm start, this machine only): when <smart-pack-grid> holds a pack it fires
// `smart-pack-hold`, and this opens a small payment dialog. "Pay (demo)" asks the demo server to confirm
// the package over the API (POST /demo/checkout/:packageId, loopback only), as a school's server would
// after its real checkout. The widget then learns that the package is active by asking the API itself.
// A module file, not an inline script: the pages' CSP allows scripts from this origin only.
const T = {
  en: {
    title: 'Demo checkout',
    amount: 'Amount to pay',
    pay: 'Pay (demo)',
    paying: 'Paying…',
    close: 'Close',
    paid: 'Paid. The booking confirms in a moment.',
    failed: 'The demo payment failed: ',
    note: 'No money moves: this demo confirms the package on this machine.',
  },
  ar: {
    title: 'الدفع التجريبي',
    amount: 'المبلغ المطلوب',
    pay: 'ادفع (تجريبي)',
    paying: 'جارٍ الدفع…',
    close: 'إغلاق',
    paid: 'تم الدفع. سيتأكد الحجز بعد لحظات.',
    failed: 'تعذّر الدفع التجريبي: ',
    note: 'لا تنتقل أي أموال: هذا العرض يؤكد الباقة على هذا الجهاز.',
  },
};

function money(lang, minor, currency) {
  const nf = new Intl.NumberFormat(lang, { style: 'currency', currency });
  return nf.format(minor / 10 ** (nf.resolvedOptions().maximumFractionDigits ?? 2));
}

function dialog() {
  let d = document.getElementById('demo-checkout');
  if (d) return d;
  d = document.createElement('dialog');
  d.id = 'demo-checkout';
  d.setAttribute('aria-labelledby', 'demo-checkout-title');
  d.innerHTML = `<h2 id="demo-checkout-title"></h2>
    <p><span class="amount-label"></span>: <strong class="amount"></strong></p>
    <p class="note"></p>
    <p class="status" role="status"></p>
    <p class="actions"><button type="button" class="pay"></button> <button type="button" class="close"></button></p>`;
  document.body.append(d);
  d.querySelector('.close').addEventListener('click', () => d.close());
  return d;
}

document.addEventListener('smart-pack-hold', (event) => {
  const pkg = event.detail.package;
  const lang = document.documentElement.lang.startsWith('ar') ? 'ar' : 'en';
  const t = T[lang];
  const d = dialog();
  d.dir = lang === 'ar' ? 'rtl' : 'ltr';
  d.lang = lang;
  d.querySelector('h2').textContent = t.title;
  d.querySelector('.amount-label').textContent = t.amount;
  d.querySelector('.amount').textContent = money(lang, pkg.priceMinor, pkg.currency);
  d.querySelector('.note').textContent = t.note;
  d.querySelector('.close').textContent = t.close;
  const status = d.querySelector('.status');
  status.textContent = '';
  const old = d.querySelector('.pay');
  // A fresh button each time: no listener of an earlier hold stays attached.
  const pay = old.cloneNode(false);
  old.replaceWith(pay);
  pay.textContent = t.pay;
  pay.disabled = false;
  pay.addEventListener('click', async () => {
    pay.disabled = true;
    pay.textContent = t.paying;
    try {
      const res = await fetch(`/demo/checkout/${encodeURIComponent(pkg.id)}`, { method: 'POST' });
      const body = await res.json().catch(() => null);
      if (!res.ok) throw new Error(body?.error?.message ?? res.statusText);
      status.textContent = t.paid;
      setTimeout(() => d.close(), 800);
    } catch (err) {
      status.textContent = t.failed + err.message;
      pay.disabled = false;
      pay.textContent = t.pay;
    }
  });
  if (!d.open) d.showModal();
});
