#!/bin/sh
# Prints a .env with fresh secrets for docker-compose.yml:  ./deploy/generate-env.sh > .env
set -eu
echo "POSTGRES_PASSWORD=$(openssl rand -hex 24)"
echo "SYNAPSE_DB_PASSWORD=$(openssl rand -hex 24)"
echo "SYNAPSE_ADMIN_TOKEN=$(openssl rand -hex 24)"
echo "SYNAPSE_AUDIT_HASH_KEY=$(openssl rand -base64 32)"
echo "SYNAPSE_AUDIT_SIGNING_KEY=$(openssl rand -base64 32)"
echo "OLLAMA_MODEL=llama3"
