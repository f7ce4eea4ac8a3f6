-- Named admin accounts and their sessions (docs/security.md, "Admin API and console"). Times are
-- Unix milliseconds (UTC) and flags 0/1 integers on both engines, so every query is one SQL text.
-- Sessions live here, not in a process, so every front end of a cluster honours a sign-out at once.
-- seal: HMAC of the authority-bearing fields with a key the database never holds
-- (Persistence/Accounts/AccountSeals.cs); a row whose seal fails grants nothing.
CREATE TABLE IF NOT EXISTS admin_accounts (
    username        TEXT    PRIMARY KEY,
    password_hash   TEXT    NOT NULL,
    role            TEXT    NOT NULL,
    disabled        INTEGER NOT NULL DEFAULT 0,
    failed_sign_ins INTEGER NOT NULL DEFAULT 0,
    locked_until    INTEGER,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL,
    seal            TEXT
);

-- One row once the first account exists: setup is refused after it, and every account change
-- locks it first, so two concurrent changes cannot both remove the last enabled admin.
CREATE TABLE IF NOT EXISTS admin_setup (
    id       INTEGER PRIMARY KEY CHECK (id = 1),
    done_at  INTEGER NOT NULL,
    username TEXT    NOT NULL
);

-- The session id is never stored: only its HMAC with a key the database never holds, so a
-- database reader cannot act as anyone and a writer cannot add a session; seal binds the row to
-- its account and expiry.
CREATE TABLE IF NOT EXISTS admin_sessions (
    id_hash      TEXT    PRIMARY KEY,
    username     TEXT    NOT NULL,
    created_at   INTEGER NOT NULL,
    last_seen_at INTEGER NOT NULL,
    expires_at   INTEGER NOT NULL,
    seal         TEXT
);

CREATE INDEX IF NOT EXISTS admin_sessions_username_idx ON admin_sessions (username);
