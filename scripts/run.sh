#!/usr/bin/env bash
# Sets up (first time) and runs standup. Arguments go to `standup`; with none, `standup run`.
set -euo pipefail
cd "$(dirname "$0")/.."
venv=$(scripts/setup.sh app)
[ $# -gt 0 ] || set -- run
exec "$venv/bin/standup" "$@"
