#!/usr/bin/env bash
# Runs the whole test suite as CI does, reports line and branch coverage of the product
# assemblies (coverlet collector), and ends with one summary line:
#   tests: N passed, N failed[, N skipped]
# The fast set alone (no PostgreSQL, processes, browser or cluster): dotnet test --filter "Category!=Slow".
# The storage tests start their own throwaway PostgreSQL server from the installed binaries, so
# PostgreSQL is installed from Debian's packages when missing (no server needs to be running).
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo_root"

results_dir="${TEST_RESULTS_DIR:-$repo_root/artifacts/test-results}"

ensure_postgres() {
    if compgen -G '/usr/lib/postgresql/*/bin/initdb' > /dev/null; then
        return
    fi

    echo "PostgreSQL binaries not found; installing Debian's postgresql package."
    local sudo=""
    if [ "$(id -u)" -ne 0 ]; then
        sudo="sudo"
    fi
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -q
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends postgresql

    if ! compgen -G '/usr/lib/postgresql/*/bin/initdb' > /dev/null; then
        echo "PostgreSQL was installed but no initdb exists under /usr/lib/postgresql/*/bin." >&2
        exit 1
    fi
}

# The console's browser tests drive Debian's chromium with npm playwright-core (never a browser
# download): chromium from apt when missing, the driver from the committed package-lock.json.
ensure_browser() {
    if ! command -v chromium > /dev/null; then
        echo "chromium not found; installing Debian's chromium package."
        local sudo=""
        if [ "$(id -u)" -ne 0 ]; then
            sudo="sudo"
        fi
        $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -q
        $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends chromium
    fi
    (cd tests/browser && npm ci --no-audit --no-fund --loglevel=error)
}

# The compose-topology test resolves docker-compose.yml with Debian's docker-compose (no engine
# needed: it only runs `docker-compose config`).
ensure_compose() {
    if command -v docker-compose > /dev/null; then
        return
    fi

    echo "docker-compose not found; installing Debian's docker-compose package."
    local sudo=""
    if [ "$(id -u)" -ne 0 ]; then
        sudo="sudo"
    fi
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -q
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends docker-compose
}

# Sums the numeric attributes of one XML element ($2) over every result file named like $1:
# prints one "name total" line per attribute (TRX <Counters>, Cobertura <coverage>). The copies
# the TRX logger keeps of attachments (under In/) are not counted again.
sum_attributes() {
    find "$results_dir" -name "$1" -not -path '*/In/*' -print0 \
        | xargs -0 -r grep -ho "<$2 [^>]*>" \
        | awk '
            {
                for (i = 2; i <= NF; i++) {
                    split($i, pair, "=")
                    gsub(/[\"\/>]/, "", pair[2])
                    count[pair[1]] += pair[2]
                }
            }
            END {
                for (name in count) {
                    printf "%s %d\n", name, count[name]
                }
            }'
}

# The total of the named attributes in sum_attributes' output (0 when absent).
total() {
    awk -v names=" $* " 'index(names, " " $1 " ") { sum += $2 } END { printf "%d\n", sum }'
}

percent() {
    awk -v part="$1" -v whole="$2" 'BEGIN { if (whole > 0) printf "%.1f", 100 * part / whole; else printf "n/a" }'
}

ensure_postgres
ensure_browser
ensure_compose

rm -rf "$results_dir"
mkdir -p "$results_dir"

set +e
# A hung test is killed (with a dump) well inside CI's time budget instead of stalling the run.
dotnet test Synapse.sln -c Release \
    --logger "trx" \
    --results-directory "$results_dir" \
    --collect "XPlat Code Coverage" \
    --settings tests/coverage.runsettings \
    --blame-hang-timeout 15m
test_status=$?
set -e

counters="$(sum_attributes '*.trx' Counters)"
passed="$(total passed <<< "$counters")"
failed="$(total failed error timeout aborted <<< "$counters")"
skipped="$(total notExecuted <<< "$counters")"

coverage="$(sum_attributes 'coverage.cobertura.xml' coverage)"
lines_covered="$(total lines-covered <<< "$coverage")"
lines_valid="$(total lines-valid <<< "$coverage")"
branches_covered="$(total branches-covered <<< "$coverage")"
branches_valid="$(total branches-valid <<< "$coverage")"
echo
echo "coverage: $(percent "$lines_covered" "$lines_valid") % lines ($lines_covered of $lines_valid), $(percent "$branches_covered" "$branches_valid") % branches ($branches_covered of $branches_valid)"

summary="tests: $passed passed, $failed failed"
if [ "$skipped" -gt 0 ]; then
    summary="$summary, $skipped skipped"
fi
echo
echo "$summary"

if [ "$failed" -gt 0 ] || [ "$passed" -eq 0 ]; then
    exit 1
fi
# Anything else dotnet test reported (a build error, a crashed test host) still fails the run.
exit "$test_status"
