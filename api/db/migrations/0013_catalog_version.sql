-- A per-tenant version of what the public listings say (teachers, subjects, who teaches what, tiers),
-- bumped by triggers on every change, so the listing and tier answers carry an ETag that one indexed
-- read validates (issue 13). Schedules keep their own teachers.schedule_version. Plain SQLite SQL for
-- both the Node migrator and `wrangler d1 migrations apply`: no PRAGMA, no explicit transaction.
ALTER TABLE tenants ADD COLUMN catalog_version INTEGER NOT NULL DEFAULT 0;

CREATE TRIGGER teachers_catalog_insert AFTER INSERT ON teachers
BEGIN UPDATE tenants SET catalog_version = catalog_version + 1 WHERE id = NEW.tenant_id; END;
-- Any column but the schedule version, which bookings bump on every purchase: a listing does not show it.
CREATE TRIGGER teachers_catalog_update AFTER UPDATE ON teachers
WHEN NEW.schedule_version IS OLD.schedule_version
BEGIN UPDATE tenants SET catalog_version = catalog_version + 1 WHERE id IN (NEW.tenant_id, OLD.tenant_id); END;
CREATE TRIGGER teachers_catalog_delete AFTER DELETE ON teachers
BEGIN UPDATE tenants SET catalog_version = catalog_version + 1 WHERE id = OLD.tenant_id; END;

CREATE TRIGGER subjects_catalog_insert AFTER INSERT ON subjects
BEGIN UPDATE tenants SET catalog_version = catalog_version + 1 WHERE id = NEW.tenant_id; END;
CREATE TRIGGER subjects_catalog_update AFTER UPDATE ON subjects
BEGIN UPDATE tenants SET catalog_version = catalog_version + 1 WHERE id IN (NEW.tenant_id, OLD.tenant_id); END;
CREATE TRIGGER subjects_catalog_delete AFTER DELETE ON subjects
BEGIN UPDATE tenants SET catalog_version = catalog_version + 1 WHERE id = OLD.tenant_id; END;

CREATE TRIGGER teacher_subjects_catalog_insert AFTER INSERT ON teacher_subjects
BEGIN UPDATE tenants SET catalog_version = catalog_version + 1
  WHERE id = (SELECT tenant_id FROM teachers WHERE id = NEW.teacher_id); END;
CREATE TRIGGER teacher_subjects_catalog_update AFTER UPDATE ON teacher_subjects
BEGIN UPDATE tenants SET catalog_version = catalog_version + 1
  WHERE id IN (SELECT tenant_id FROM teachers WHERE id IN (NEW.teacher_id, OLD.teacher_id)); END;
CREATE TRIGGER teacher_subjects_catalog_delete AFTER DELETE ON teacher_subjects
BEGIN UPDATE tenants SET catalog_version = catalog_version + 1
  WHERE id = (SELECT tenant_id FROM teachers WHERE id = OLD.teacher_id); END;

CREATE TRIGGER package_tiers_catalog_insert AFTER INSERT ON package_tiers
BEGIN UPDATE tenants SET catalog_version = catalog_version + 1 WHERE id = NEW.tenant_id; END;
CREATE TRIGGER package_tiers_catalog_update AFTER UPDATE ON package_tiers
BEGIN UPDATE tenants SET catalog_version = catalog_version + 1 WHERE id IN (NEW.tenant_id, OLD.tenant_id); END;
CREATE TRIGGER package_tiers_catalog_delete AFTER DELETE ON package_tiers
BEGIN UPDATE tenants SET catalog_version = catalog_version + 1 WHERE id = OLD.tenant_id; END;
