-- Every sign-in attempt is recorded before its password is checked (and
-- forgiven when it was right), so the table is named for what it holds.
-- The index on the time bounds the clearing of old attempts, which read
-- the whole table before.
ALTER TABLE login_failures RENAME TO sign_in_attempts;
ALTER TABLE sign_in_attempts RENAME COLUMN failed_at TO attempted_at;
DROP INDEX login_failures_key_failed;
CREATE INDEX sign_in_attempts_key_at ON sign_in_attempts (key, attempted_at);
CREATE INDEX sign_in_attempts_at ON sign_in_attempts (attempted_at);
