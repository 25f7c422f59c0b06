#!/usr/bin/env bash
# The README's test command: set up if needed, then the whole test suite. The suite trains the
# model (only if none matches the data) and starts Rasa once per run, not once per test.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export RASA_TELEMETRY_ENABLED=false
export APP_ENV="${APP_ENV:-test}"
exec .venv/bin/python -m pytest "$@"
