-- 评审专家 sign in: a user account (role 'expert') may be linked to experts of the pool. One account may
-- serve several pool entries (the same person in the city's and a county's pool); an entry has one account.
ALTER TABLE users DROP CONSTRAINT users_role_check
--;
ALTER TABLE users ADD CONSTRAINT users_role_check CHECK (role IN ('bureauAdmin','schoolAdmin','teacher','institution','devCenter','expert'))
--;
ALTER TABLE experts ADD COLUMN user_id integer REFERENCES users(id)
--;
CREATE INDEX experts_user_idx ON experts (user_id) WHERE user_id IS NOT NULL
