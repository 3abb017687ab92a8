#!/usr/bin/env bash
# Sets up (first time) and runs every test: unit, scenario, CLI, fault, and end-to-end tests in a
# real X session that the suite starts itself. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
venv=$(scripts/setup.sh test)
mkdir -p test-artifacts
exec "$venv/bin/python" -m pytest "$@"
