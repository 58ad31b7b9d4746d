-- Hours recognised from projects, per teacher, year, project form and category: what an hours rule
-- with `forms` (e.g. 思政 40 学时 in 集中培训 only) reads instead of scanning the ledger joined to
-- projects (seconds at city scale). Kept like ledger_year_rollups: one aggregate per inserted
-- statement; reversals carry the project_id of the entry they reverse, so they subtract here too.
-- A project's form is fixed once it has hours (it can be edited only as a draft).
CREATE TABLE ledger_form_rollups (
  teacher_id integer NOT NULL,
  year       integer NOT NULL,
  form       text NOT NULL,
  category   text NOT NULL,
  hours      numeric(12,1) NOT NULL,
  entries    integer NOT NULL,
  PRIMARY KEY (teacher_id, year, form, category)
)
--;
CREATE FUNCTION ledger_form_rollup_add() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO ledger_form_rollups (teacher_id, year, form, category, hours, entries)
  SELECT n.teacher_id, extract(year FROM n.occurred_on)::int, p.form, n.category, sum(n.hours), count(*)
    FROM new_rows n JOIN projects p ON p.id = n.project_id
   GROUP BY 1, 2, 3, 4
   ORDER BY 1, 2, 3, 4
  ON CONFLICT (teacher_id, year, form, category)
  DO UPDATE SET hours = ledger_form_rollups.hours + EXCLUDED.hours,
                entries = ledger_form_rollups.entries + EXCLUDED.entries;
  RETURN NULL;
END $$
--;
CREATE TRIGGER ledger_form_rollup_after_insert AFTER INSERT ON ledger_entries
  REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION ledger_form_rollup_add()
--;
INSERT INTO ledger_form_rollups (teacher_id, year, form, category, hours, entries)
SELECT e.teacher_id, extract(year FROM e.occurred_on)::int, p.form, e.category, sum(e.hours), count(*)
  FROM ledger_entries e JOIN projects p ON p.id = e.project_id
 GROUP BY 1, 2, 3, 4
