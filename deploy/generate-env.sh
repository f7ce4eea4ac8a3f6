#!/bin/sh
# Writes a .env with fresh secrets for docker-compose.yml, once:
#
#   ./deploy/generate-env.sh .env
#
# The file is created owner-only (0600: it holds the database passwords, the admin token and the
# audit signing key) and never replaced: the audit keys must not change once rows are written (new
# ones verify nothing) and the database passwords are set when its volume is first created. To
# start over on purpose, move the old file away first.
#
# Without an argument the same lines go to standard output (for a secrets store or a pipe); a file
# made with '>' gets your umask's mode and replaces whatever was there.
set -eu

if [ $# -gt 1 ]; then
    echo "usage: $0 [file]" >&2
    exit 2
fi

generate() {
    echo "POSTGRES_PASSWORD=$(openssl rand -hex 24)"
    echo "SYNAPSE_DB_PASSWORD=$(openssl rand -hex 24)"
    echo "SYNAPSE_ADMIN_TOKEN=$(openssl rand -hex 24)"
    echo "SYNAPSE_AUDIT_HASH_KEY=$(openssl rand -base64 32)"
    echo "SYNAPSE_AUDIT_SIGNING_KEY=$(openssl rand -base64 32)"
    echo "GRAFANA_ADMIN_PASSWORD=$(openssl rand -hex 24)"
    echo "OLLAMA_MODEL=llama3"
}

if [ $# -eq 0 ]; then
    generate
    exit 0
fi

file=$1
if [ -e "$file" ] || [ -L "$file" ]; then
    echo "$0: $file exists and is left as it is: its audit keys and database passwords are in use (new audit keys would not verify the log's rows). Move it away first to start over." >&2
    exit 1
fi

# Generated in full before the file exists, so a failure leaves none; written with noclobber, so a
# file made meanwhile is not replaced either.
secrets=$(generate)
umask 077
set -C
printf '%s\n' "$secrets" > "$file"
chmod 600 "$file"
echo "$0: wrote $file (mode 0600)." >&2
