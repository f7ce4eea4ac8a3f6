#!/bin/sh
# Run once by the postgres image, as its superuser, when it initialises an empty data volume
# (/docker-entrypoint-initdb.d). Creates the login the silos and front ends use: it owns the
# synapse database and may create its tables, and nothing more — not a superuser, so it cannot run
# programs on the database host (COPY … PROGRAM), read the server's files, change the server's
# settings or get past the audit triggers of another database. The superuser's password
# (POSTGRES_PASSWORD) is given to the postgres service alone.
#
# synapse_audit_writer (SELECT and INSERT on the audit tables only; every audit write switches to
# it, docs/audit.md) is created here because only a role with CREATEROLE may create it, and the
# login is not given that. Safe to run again: what exists is left as it is.
set -eu
: "${SYNAPSE_DB_USER:?}" "${SYNAPSE_DB_PASSWORD:?}" "${SYNAPSE_DB:?}"
psql -v ON_ERROR_STOP=1 --no-psqlrc --username "${POSTGRES_USER:-postgres}" --dbname postgres \
    -v login="$SYNAPSE_DB_USER" -v password="$SYNAPSE_DB_PASSWORD" -v database="$SYNAPSE_DB" <<'SQL'
SELECT 'CREATE ROLE synapse_audit_writer NOLOGIN'
WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'synapse_audit_writer') \gexec
SELECT format('CREATE ROLE %I LOGIN', :'login')
WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'login') \gexec
ALTER ROLE :"login" WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS PASSWORD :'password';
GRANT synapse_audit_writer TO :"login";
SELECT format('CREATE DATABASE %I OWNER %I', :'database', :'login')
WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = :'database') \gexec
SQL
