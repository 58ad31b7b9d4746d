-- 目标与经费数据 are entered by hand (API, Excel import): a correction is a new row, the latest
-- recorded_at wins, and every earlier figure stays as history. The database refuses edits.
CREATE FUNCTION indicator_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only: record a new value instead', TG_TABLE_NAME USING ERRCODE = 'P0001';
END $$
--;
CREATE TRIGGER target_counts_no_update BEFORE UPDATE OR DELETE ON target_counts
  FOR EACH ROW EXECUTE FUNCTION indicator_append_only()
--;
CREATE TRIGGER funding_figures_no_update BEFORE UPDATE OR DELETE ON funding_figures
  FOR EACH ROW EXECUTE FUNCTION indicator_append_only()
--;
-- Counts are never negative (funding_figures already checks its amount).
ALTER TABLE target_counts ADD CONSTRAINT target_counts_value_nonnegative CHECK (value >= 0)
--;
-- The list page: latest figure per (org, metric, year) within a subtree and year.
CREATE INDEX target_counts_year_idx ON target_counts (year, org_id)
--;
CREATE INDEX funding_figures_year_idx ON funding_figures (year, org_id)
