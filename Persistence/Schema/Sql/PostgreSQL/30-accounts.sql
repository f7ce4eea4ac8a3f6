-- Named admin accounts and their sessions (docs/security.md, "Admin API and console"). Times are
-- Unix milliseconds (UTC) and flags 0/1 integers on both engines, so every query is one SQL text.
-- Sessions live here, not in a process, so every front end of a cluster honours a sign-out at once.
-- seal: HMAC of the authority-bearing fields with a key the database never holds
-- (Persistence/Accounts/AccountSeals.cs); a row whose seal fails grants nothing.
CREATE TABLE IF NOT EXISTS admin_accounts (
    username        text    PRIMARY KEY,
    password_hash   text    NOT NULL,
    role            text    NOT NULL,
    disabled        integer NOT NULL DEFAULT 0,
    failed_sign_ins integer NOT NULL DEFAULT 0,
    locked_until    bigint,
    created_at      bigint  NOT NULL,
    updated_at      bigint  NOT NULL,
    seal            text
);

-- One row once the first account exists: setup is refused after it, and every account change
-- locks it first, so two concurrent changes cannot both remove the last enabled admin.
CREATE TABLE IF NOT EXISTS admin_setup (
    id       integer PRIMARY KEY CHECK (id = 1),
    done_at  bigint  NOT NULL,
    username text    NOT NULL
);

-- The session id is never stored: only its HMAC with a key the database never holds, so a
-- database reader cannot act as anyone and a writer cannot add a session; seal binds the row to
-- its account and expiry.
CREATE TABLE IF NOT EXISTS admin_sessions (
    id_hash      text   PRIMARY KEY,
    username     text   NOT NULL,
    created_at   bigint NOT NULL,
    last_seen_at bigint NOT NULL,
    expires_at   bigint NOT NULL,
    seal         text
);

CREATE INDEX IF NOT EXISTS admin_sessions_username_idx ON admin_sessions (username);
