#!/usr/bin/env bash
# The test command (README, .ci/run): installs what the tests need, starts a real Neo4j,
# then runs lint, formatting, types, import-direction contracts and every test, Neo4j ones
# included.  Extra arguments go to pytest (e.g. scripts/test.sh -k contract).
#
# Needs: Python >= 3.11 with venv; Java 17 + Maven and Debian's chromium (installed with apt-get
# when missing and run as root, else the script says what to install; without chromium the web
# page tests are skipped with the reason).  Set PMKG_NEO4J_URI to use your own
# Neo4j instead of the throwaway test server.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

PYTHON=${PYTHON:-python3}
step() { printf '\n==> %s\n' "$*" >&2; }

step "Python environment (.venv)"
if [[ ! -x .venv/bin/python ]]; then
    "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'

step "Java and Maven for the Neo4j test server"
scripts/neo4j-test-server.sh ensure-java

step "Chromium for the web page tests (tests/api/test_web_page.py)"
if ! command -v chromium >/dev/null 2>&1; then
    if [[ $(id -u) -eq 0 && -f /etc/debian_version ]] && command -v apt-get >/dev/null 2>&1; then
        apt-get update >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium >&2 \
            || echo "could not install chromium: the web page tests will be skipped" >&2
    else
        echo "chromium not found: the web page tests will be skipped (Debian: sudo apt-get install chromium)" >&2
    fi
fi

if [[ -z "${PMKG_NEO4J_URI:-}" ]]; then
    step "Starting the Neo4j 5.26 test server"
    out=$(scripts/neo4j-test-server.sh start)
    eval "$out"
    trap 'scripts/neo4j-test-server.sh stop >/dev/null 2>&1 || true' EXIT
fi
export PMKG_NEO4J_URI

step "ruff (lint and format)"
.venv/bin/ruff check .
.venv/bin/ruff format --check .
step "mypy"
.venv/bin/mypy
step "import contracts"
.venv/bin/lint-imports
step "pytest"
PMKG_HYPOTHESIS_PROFILE=repeatable .venv/bin/python -m pytest "$@"
