-- Issue 12: 师德师风. The shared core of the ethics modules: reports (举报), cases (案件) and their trail,
-- sanctions (处理/处分, the 诚信档案's hub: the veto reads them) and the 行业禁入 register. Later migrations of
-- the ethics modules add to these tables; they are history: a row changes only forward (status, answer,
-- closing), never back, and is never deleted.
--
-- Personal data: the reporter's identity, the account of events and the name a reporter gave are sealed with
-- the app's key (platform/crypto.ts, *_enc columns); IDs are found through blind indexes only.

-- The 师德专干 (ethics officer) role, held at a bureau.
ALTER TABLE user_roles DROP CONSTRAINT user_roles_role_check
--;
ALTER TABLE user_roles ADD CONSTRAINT user_roles_role_check
  CHECK (role IN ('bureauAdmin','schoolAdmin','teacher','institution','devCenter','expert','sysAdmin','infoAdmin','securityAdmin','auditor','ethicsOfficer'))
--;
-- ---------------------------------------------------------------- reports (举报 / 投诉)
CREATE TABLE ethics_reports (
  id               serial PRIMARY KEY,
  -- What the reporter keeps: the tracking code (shown, printed) and a secret (shown once; only its hash is kept).
  tracking_code    text NOT NULL UNIQUE,
  secret_hash      text NOT NULL,
  secret_expires_at timestamptz NOT NULL,
  -- web (public page), phone (举报电话, logged by the duty officer), letter, visit (来访), referral (上级转办)
  channel          text NOT NULL CHECK (channel IN ('web','phone','letter','visit','referral')),
  -- The bureau whose 师德专干 handles the report (the county of the school named, or the one the reporter chose).
  handling_org_id  integer NOT NULL REFERENCES orgs(id),
  -- What the reporter said about whom: the school (when named) and the teacher once identified by the officer.
  school_org_id    integer REFERENCES orgs(id),
  teacher_id       integer REFERENCES teachers(id),
  subject_name_enc text,
  -- A code of the region's category vocabulary (十项准则 / 负面清单, policy data).
  category         text NOT NULL,
  content_enc      text NOT NULL,
  anonymous        boolean NOT NULL,
  -- JSON {name, phone, relation …} sealed; NULL when anonymous. Readable by the handling ethics office only.
  reporter_enc     text,
  received_at      timestamptz NOT NULL DEFAULT now(),
  received_by      integer REFERENCES users(id),
  -- Deadlines (dates, from the region's working-day rules): first response (受理) and conclusion (办结).
  respond_by       date NOT NULL,
  conclude_by      date NOT NULL,
  -- received → accepted (a case is opened) | rejected (不予受理, with the reason the reporter reads) → closed
  status           text NOT NULL DEFAULT 'received' CHECK (status IN ('received','accepted','rejected','closed')),
  first_response_at timestamptz,
  escalated_to_org_id integer REFERENCES orgs(id),
  escalated_at     timestamptz,
  -- The answer the reporter reads with the tracking code (件件有回音).
  answer           text,
  answered_at      timestamptz
)
--;
CREATE INDEX ethics_reports_handling_idx ON ethics_reports (handling_org_id, status)
--;
CREATE INDEX ethics_reports_teacher_idx ON ethics_reports (teacher_id) WHERE teacher_id IS NOT NULL
--;
-- ---------------------------------------------------------------- cases (案件)
CREATE TABLE ethics_cases (
  id               serial PRIMARY KEY,
  -- NULL for a case opened without a report (上级交办, found in an inspection).
  report_id        integer UNIQUE REFERENCES ethics_reports(id),
  teacher_id       integer NOT NULL REFERENCES teachers(id),
  handling_org_id  integer NOT NULL REFERENCES orgs(id),
  category         text NOT NULL,
  -- accepted 受理 → investigating 调查 → decided 处理决定 → notified 告知 → (appealed 申诉 → redecided) → closed 办结
  stage            text NOT NULL DEFAULT 'accepted'
                   CHECK (stage IN ('accepted','investigating','decided','notified','appealed','redecided','closed')),
  investigator_id  integer REFERENCES users(id),
  -- Whether the bureau told the teacher's school that a case concerns its teacher (the school sees only that).
  school_informed  boolean NOT NULL DEFAULT false,
  opened_by        integer NOT NULL REFERENCES users(id),
  opened_at        timestamptz NOT NULL DEFAULT now(),
  closed_at        timestamptz
)
--;
CREATE INDEX ethics_cases_org_idx ON ethics_cases (handling_org_id, stage)
--;
CREATE INDEX ethics_cases_teacher_idx ON ethics_cases (teacher_id)
--;
-- Every step of a case: who, when, from which stage to which, with its content (findings, evidence file ids,
-- decision, appeal …) in `data`. Append-only.
CREATE TABLE ethics_case_events (
  id          serial PRIMARY KEY,
  case_id     integer NOT NULL REFERENCES ethics_cases(id),
  action      text NOT NULL,
  from_stage  text,
  to_stage    text,
  by_user     integer REFERENCES users(id),
  at          timestamptz NOT NULL DEFAULT now(),
  comment     text,
  data        jsonb NOT NULL DEFAULT '{}'::jsonb
)
--;
CREATE INDEX ethics_case_events_case_idx ON ethics_case_events (case_id, id)
--;
-- ---------------------------------------------------------------- sanctions (处理 / 处分)
-- One decision about one teacher. kind: criticism 批评教育, admonition 诫勉谈话, circulated 通报批评,
-- warning 警告, demerit 记过, demotion 降低岗位等级, removal 撤职, dismissal 开除, credentialRevoked 撤销教师资格,
-- barred 行业禁入. Effects hold from valid_from to valid_until (inclusive; NULL = no end). A sanction is never
-- edited: an appeal's second decision or a correction supersedes it (superseded_by / superseded_at set once;
-- the new row names it in `corrects`); revoking one (撤销处分) sets revoked_on/revoked_reason once.
CREATE TABLE ethics_sanctions (
  id             serial PRIMARY KEY,
  teacher_id     integer NOT NULL REFERENCES teachers(id),
  case_id        integer REFERENCES ethics_cases(id),
  kind           text NOT NULL CHECK (kind IN ('criticism','admonition','circulated','warning','demerit','demotion','removal','dismissal','credentialRevoked','barred')),
  decided_on     date NOT NULL,
  valid_from     date NOT NULL,
  valid_until    date,
  decision_no    text,
  reason         text NOT NULL,
  decided_by_org_id integer NOT NULL REFERENCES orgs(id),
  recorded_by    integer REFERENCES users(id),
  recorded_at    timestamptz NOT NULL DEFAULT now(),
  superseded_by  integer REFERENCES ethics_sanctions(id),
  superseded_at  timestamptz,
  corrects       integer REFERENCES ethics_sanctions(id),
  revoked_on     date,
  revoked_reason text,
  CHECK (valid_until IS NULL OR valid_until >= valid_from)
)
--;
CREATE INDEX ethics_sanctions_teacher_idx ON ethics_sanctions (teacher_id, valid_from) WHERE superseded_at IS NULL
--;
CREATE FUNCTION ethics_sanctions_history() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN RAISE EXCEPTION 'ethics_sanctions rows are history' USING ERRCODE = 'P0001'; END IF;
  IF (to_jsonb(NEW) - ARRAY['superseded_by','superseded_at','revoked_on','revoked_reason'])
       IS DISTINCT FROM (to_jsonb(OLD) - ARRAY['superseded_by','superseded_at','revoked_on','revoked_reason'])
     OR (OLD.superseded_at IS NOT NULL AND NEW.superseded_at IS DISTINCT FROM OLD.superseded_at)
     OR (OLD.revoked_on IS NOT NULL AND NEW.revoked_on IS DISTINCT FROM OLD.revoked_on) THEN
    RAISE EXCEPTION 'ethics_sanctions: a sanction is superseded or revoked, never edited' USING ERRCODE = 'P0001';
  END IF;
  RETURN NEW;
END $$
--;
CREATE TRIGGER ethics_sanctions_history BEFORE UPDATE OR DELETE ON ethics_sanctions
  FOR EACH ROW EXECUTE FUNCTION ethics_sanctions_history()
--;
-- ---------------------------------------------------------------- 行业禁入 register
-- A person barred from teaching, found by the blind index of the 身份证号 (the number itself only sealed). A
-- ban comes from a 行业禁入 sanction here (sanction_id) or from another region's decision registered by hand
-- (decision named in `source`). Lifting a ban (a court ruling, an error) sets lifted_on/lifted_reason once.
CREATE TABLE ethics_bans (
  id             serial PRIMARY KEY,
  national_id_idx text NOT NULL,
  national_id_enc  text NOT NULL,
  name_enc       text NOT NULL,
  sanction_id    integer REFERENCES ethics_sanctions(id),
  source         text NOT NULL,
  decided_on     date NOT NULL,
  valid_from     date NOT NULL,
  valid_until    date,
  registered_by_org_id integer NOT NULL REFERENCES orgs(id),
  registered_by  integer REFERENCES users(id),
  registered_at  timestamptz NOT NULL DEFAULT now(),
  lifted_on      date,
  lifted_reason  text,
  lifted_by      integer REFERENCES users(id)
)
--;
CREATE INDEX ethics_bans_bidx ON ethics_bans (national_id_idx)
