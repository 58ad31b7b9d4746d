-- Issue 11 item 1: a check-in that survives a slow login. Scanning the rotating QR while logged out gives the
-- browser a signed scan ticket (session, direction, scan time, hash of a key only that browser holds); after
-- the login the ticket checks the teacher in at the scan time. A ticket is good once: its hash is written here
-- when it is used (the ticket itself is never stored), and the primary key refuses a second use.
CREATE TABLE checkin_scan_uses (
  ticket_hash  text PRIMARY KEY,
  session_id   integer NOT NULL REFERENCES project_sessions(id) ON DELETE CASCADE,
  teacher_id   integer NOT NULL REFERENCES teachers(id),
  scanned_at   timestamptz NOT NULL,
  used_at      timestamptz NOT NULL DEFAULT now()
)
