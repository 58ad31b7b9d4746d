-- In-app inbox: one row per recipient. dedupe_key stops the same reminder being sent twice.
CREATE TABLE notifications (
  id          bigserial PRIMARY KEY,
  user_id     integer NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  kind        text NOT NULL,
  title       text NOT NULL,
  body        text NOT NULL DEFAULT '',
  link        text,
  created_at  timestamptz NOT NULL DEFAULT now(),
  read_at     timestamptz,
  dedupe_key  text,
  UNIQUE (user_id, dedupe_key)
)
--;
CREATE INDEX notifications_user_idx ON notifications (user_id, read_at, created_at DESC)
