// What index.ts and package.ts promise about registration: importing them defines the tags once (a second
// copy of the bundle on the page does not throw), and a host can put the element under its own tag.
import { expect, fixture, waitUntil } from '@open-wc/testing';
import { SmartPackGrid } from '../../widget/index.js';
import { SmartPackPackage } from '../../widget/package.js';
import { SmartPackTeacher } from '../../widget/teacher.js';
import { FakeApi } from './fake-api.js';

describe('registration', () => {
  it('defines <smart-pack-grid> and <smart-pack-package> on import, and a second define is a no-op', () => {
    expect(customElements.get('smart-pack-grid')).to.equal(SmartPackGrid);
    expect(customElements.get('smart-pack-package')).to.equal(SmartPackPackage);
    expect(customElements.get('smart-pack-teacher')).to.equal(SmartPackTeacher);
    expect(() => SmartPackTeacher.define('smart-pack-teacher')).not.to.throw();
    expect(() => SmartPackGrid.define('smart-pack-grid')).not.to.throw();
    expect(() => SmartPackPackage.define('smart-pack-package')).not.to.throw();
    expect(customElements.get('smart-pack-grid')).to.equal(SmartPackGrid);
  });

  it('lets a host register a subclass under its own tag, which renders the same grid', async () => {
    class PartnerBookingGrid extends SmartPackGrid {}
    PartnerBookingGrid.define('partner-booking-grid');
    expect(customElements.get('partner-booking-grid')).to.equal(PartnerBookingGrid);
    const fake = new FakeApi().install();
    try {
      const el = await fixture<PartnerBookingGrid>(
        '<partner-booking-grid teacher-id="t1" lang="en-US" viewer-time-zone="Africa/Khartoum"></partner-booking-grid>',
      );
      await waitUntil(() => el.shadowRoot?.querySelector('[role=grid]'), 'the subclass did not render the grid');
      expect(el.shadowRoot!.querySelectorAll('[role=gridcell][data-weekday]').length).to.be.greaterThan(5);
    } finally {
      fake.uninstall();
    }
  });
});
