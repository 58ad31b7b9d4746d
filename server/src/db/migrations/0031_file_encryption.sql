-- Uploaded files (evidence, share-back material …) are encrypted at rest (AES-256-GCM, platform/files.ts) from now on.
-- Files stored before this migration stay as they are and are read as plain bytes: the flag says which is which.
ALTER TABLE files ADD COLUMN encrypted boolean NOT NULL DEFAULT false
