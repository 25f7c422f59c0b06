#!/usr/bin/env bash
# The README's run command: set up if needed, train if no model matches, start everything.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export RASA_TELEMETRY_ENABLED=false
export APP_ENV="${APP_ENV:-local}"  # a developer's machine; without APP_ENV the API refuses the development secret
exec .venv/bin/python -m bot run "$@"
