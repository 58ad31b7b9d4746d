-- Uploaded files (claim evidence, share-back evidence …). The bytes live on disk under the upload
-- folder with a random stored name; this row is the only way to find them, and owner org/user
-- let each feature decide who may download.
CREATE TABLE files (
  id            bigserial PRIMARY KEY,
  stored_name   text NOT NULL UNIQUE,
  original_name text NOT NULL,
  kind          text NOT NULL,
  mime          text NOT NULL,
  size          integer NOT NULL CHECK (size > 0),
  sha256        text NOT NULL,
  purpose       text NOT NULL,
  owner_user_id integer REFERENCES users(id),
  owner_org_id  integer NOT NULL REFERENCES orgs(id),
  created_at    timestamptz NOT NULL DEFAULT now()
)
--;
CREATE INDEX files_owner_org_idx ON files (owner_org_id)
