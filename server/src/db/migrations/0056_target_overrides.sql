-- Issue 13 item 6: region targets (工作室数, 跟踪培养的骨干教师人数) are computed from the platform's records; a figure
-- typed on 目标与经费数据 is now an override for data from outside the platform, and needs a reason. Figures entered
-- before this migration become overrides with the reason below (added as the column's default, so no row is
-- rewritten: the table stays append-only).
ALTER TABLE target_counts ADD COLUMN reason text NOT NULL DEFAULT '平台上线前的手工数据'
--;
ALTER TABLE target_counts ALTER COLUMN reason DROP DEFAULT
--;
-- 撤销覆盖: a row with cleared = true (and no value) ends the override of that org, metric and year; the platform's
-- figure counts again. The history keeps both.
ALTER TABLE target_counts ADD COLUMN cleared boolean NOT NULL DEFAULT false
--;
ALTER TABLE target_counts ALTER COLUMN value DROP NOT NULL
--;
ALTER TABLE target_counts ADD CONSTRAINT target_counts_value_or_cleared CHECK (cleared OR value IS NOT NULL)
