-- Issue 14 items 6 and 8: training funds (经费) and 班主任 allowances. Every table is append-only (UPDATE/DELETE
-- raise): a budget or base figure is corrected by a newer row of the same org/year(/metric) that names the row it
-- supersedes and says why; a wrong spending entry is reversed by a 冲销 entry (negative amount, reason); an allowance
-- is corrected by a newer row for the same teacher and month. Money is in fen (bigint), shown as yuan.
CREATE TABLE fund_budgets (
  id          bigserial PRIMARY KEY,
  org_id      integer NOT NULL REFERENCES orgs(id),
  year        integer NOT NULL CHECK (year BETWEEN 2000 AND 2100),
  amount_fen  bigint NOT NULL CHECK (amount_fen >= 0 AND amount_fen < 100000000000000),
  source      text NOT NULL CHECK (source IN ('publicFunds','salaryShare','special','fiscal','other')),
  note        text NOT NULL DEFAULT '',
  supersedes  bigint REFERENCES fund_budgets(id),
  reason      text,
  recorded_by integer REFERENCES users(id),
  recorded_at timestamptz NOT NULL DEFAULT clock_timestamp(),
  CHECK (supersedes IS NULL OR reason IS NOT NULL)
)
--;
CREATE INDEX fund_budgets_org_idx ON fund_budgets (org_id, year, id DESC)
--;
CREATE UNIQUE INDEX fund_budgets_supersedes_once ON fund_budgets (supersedes) WHERE supersedes IS NOT NULL
--;
-- The bases of the ratios: 年度公用经费预算总额 (school) and 教职工工资总额 (county), per org and year, with source.
CREATE TABLE fund_base_figures (
  id          bigserial PRIMARY KEY,
  org_id      integer NOT NULL REFERENCES orgs(id),
  year        integer NOT NULL CHECK (year BETWEEN 2000 AND 2100),
  metric      text NOT NULL CHECK (metric IN ('publicFundBudget','salaryTotal')),
  amount_fen  bigint NOT NULL CHECK (amount_fen > 0 AND amount_fen < 100000000000000),
  source      text NOT NULL,
  supersedes  bigint REFERENCES fund_base_figures(id),
  reason      text,
  recorded_by integer REFERENCES users(id),
  recorded_at timestamptz NOT NULL DEFAULT clock_timestamp(),
  CHECK (supersedes IS NULL OR reason IS NOT NULL)
)
--;
CREATE INDEX fund_base_figures_org_idx ON fund_base_figures (org_id, year, metric, id DESC)
--;
CREATE UNIQUE INDEX fund_base_figures_supersedes_once ON fund_base_figures (supersedes) WHERE supersedes IS NOT NULL
--;
-- Spending entries. A 冲销 row has reverses = the entry it cancels, the negated amount and a reason; an entry is
-- reversed at most once and a 冲销 is never itself reversed.
CREATE TABLE fund_entries (
  id            bigserial PRIMARY KEY,
  org_id        integer NOT NULL REFERENCES orgs(id),
  entry_date    date NOT NULL,
  voucher_no    text NOT NULL DEFAULT '',
  project_id    integer NOT NULL REFERENCES projects(id),
  category      text NOT NULL CHECK (category IN ('training','travel','materials','expert','other')),
  amount_fen    bigint NOT NULL CHECK (amount_fen <> 0 AND abs(amount_fen) < 100000000000000),
  voucher_file_id bigint REFERENCES files(id),
  note          text NOT NULL DEFAULT '',
  reverses      bigint REFERENCES fund_entries(id),
  reason        text,
  recorded_by   integer REFERENCES users(id),
  recorded_at   timestamptz NOT NULL DEFAULT clock_timestamp(),
  CHECK ((reverses IS NULL AND amount_fen > 0) OR (reverses IS NOT NULL AND amount_fen < 0 AND reason IS NOT NULL))
)
--;
CREATE INDEX fund_entries_org_idx ON fund_entries (org_id, entry_date)
--;
CREATE UNIQUE INDEX fund_entries_reversed_once ON fund_entries (reverses) WHERE reverses IS NOT NULL
--;
-- 手工覆盖 of the platform's spending figure of an org and year (data from outside the platform): reason required;
-- a cleared row (撤销覆盖) ends it. Latest row per org and year wins.
CREATE TABLE fund_overrides (
  id          bigserial PRIMARY KEY,
  org_id      integer NOT NULL REFERENCES orgs(id),
  year        integer NOT NULL CHECK (year BETWEEN 2000 AND 2100),
  amount_fen  bigint CHECK (amount_fen >= 0 AND amount_fen < 100000000000000),
  cleared     boolean NOT NULL DEFAULT false,
  reason      text NOT NULL,
  recorded_by integer REFERENCES users(id),
  recorded_at timestamptz NOT NULL DEFAULT clock_timestamp(),
  CHECK (cleared OR amount_fen IS NOT NULL)
)
--;
CREATE INDEX fund_overrides_org_idx ON fund_overrides (org_id, year, id DESC)
--;
-- 班主任津贴: the amount paid to a teacher for a month (month = its first day) by the school. Latest row wins.
CREATE TABLE homeroom_allowances (
  id          bigserial PRIMARY KEY,
  org_id      integer NOT NULL REFERENCES orgs(id),
  teacher_id  integer NOT NULL REFERENCES teachers(id),
  month       date NOT NULL CHECK (extract(day FROM month) = 1),
  amount_fen  bigint NOT NULL CHECK (amount_fen >= 0 AND amount_fen < 10000000000),
  reason      text,
  recorded_by integer REFERENCES users(id),
  recorded_at timestamptz NOT NULL DEFAULT clock_timestamp()
)
--;
CREATE INDEX homeroom_allowances_idx ON homeroom_allowances (org_id, month, teacher_id, id DESC)
--;
CREATE TRIGGER fund_budgets_no_update BEFORE UPDATE OR DELETE ON fund_budgets FOR EACH ROW EXECUTE FUNCTION indicator_append_only()
--;
CREATE TRIGGER fund_base_figures_no_update BEFORE UPDATE OR DELETE ON fund_base_figures FOR EACH ROW EXECUTE FUNCTION indicator_append_only()
--;
CREATE TRIGGER fund_entries_no_update BEFORE UPDATE OR DELETE ON fund_entries FOR EACH ROW EXECUTE FUNCTION indicator_append_only()
--;
CREATE TRIGGER fund_overrides_no_update BEFORE UPDATE OR DELETE ON fund_overrides FOR EACH ROW EXECUTE FUNCTION indicator_append_only()
--;
CREATE TRIGGER homeroom_allowances_no_update BEFORE UPDATE OR DELETE ON homeroom_allowances FOR EACH ROW EXECUTE FUNCTION indicator_append_only()
--;
-- The compliance caches are keyed on data_changes: spending, bases and overrides feed the funding rules.
CREATE TRIGGER fund_entries_note_change AFTER INSERT ON fund_entries FOR EACH STATEMENT EXECUTE FUNCTION note_data_change()
--;
CREATE TRIGGER fund_base_figures_note_change AFTER INSERT ON fund_base_figures FOR EACH STATEMENT EXECUTE FUNCTION note_data_change()
--;
CREATE TRIGGER fund_overrides_note_change AFTER INSERT ON fund_overrides FOR EACH STATEMENT EXECUTE FUNCTION note_data_change()
