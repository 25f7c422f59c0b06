#!/usr/bin/env bash
# Create .venv with Python 3.10 and install the project, its pinned dependencies and the Dutch
# spaCy pipeline (packages/nl_patient_sm). Idempotent: reinstalls only when those files change.
set -euo pipefail
cd "$(dirname "$0")/.."

find_python310() {
  local candidate
  for candidate in "${PYTHON:-}" python3.10; do
    [ -n "$candidate" ] || continue
    if command -v "$candidate" >/dev/null 2>&1 &&
       "$candidate" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 10))' >/dev/null 2>&1; then
      command -v "$candidate"; return 0
    fi
  done
  # pyenv keeps versions that are installed but not selected; their shims refuse to run.
  for candidate in "${PYENV_ROOT:-$HOME/.pyenv}"/versions/3.10*/bin/python3.10 \
                   /usr/local/bin/python3.10 /usr/bin/python3.10; do
    [ -x "$candidate" ] && { echo "$candidate"; return 0; }
  done
  return 1
}

if ! PY=$(find_python310); then
  cat >&2 <<'MSG'
error: Python 3.10 is required (Rasa Open Source 3.6 supports Python 3.8-3.10 only) and none was found.
Install it, for example:
  Debian/Ubuntu:  apt-get install python3.10 python3.10-venv   (or use the deadsnakes PPA)
  pyenv:          pyenv install 3.10
  macOS:          brew install python@3.10
or point PYTHON at one:  PYTHON=/path/to/python3.10 make run
MSG
  exit 1
fi

if [ ! -x .venv/bin/python ] || ! .venv/bin/python -c 'import sys; sys.exit(sys.version_info[:2] != (3, 10))'; then
  echo "Creating .venv with $PY"
  rm -rf .venv
  "$PY" -m venv .venv
fi

# Headless Chromium for the widget's browser tests (tests/api/test_widget_browser.py): Debian's
# packages, driven by Playwright from .venv. Installed only when missing, and only as root; otherwise
# those tests are skipped and say why.
if ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing chromium and chromium-driver with apt-get (for the widget's browser tests)"
    { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium chromium-driver; } \
      >.venv/chromium-install.log 2>&1 ||
      { tail -n 20 .venv/chromium-install.log >&2; echo "warning: could not install chromium (log: .venv/chromium-install.log); the widget's browser tests will be skipped" >&2; }
  else
    echo "note: chromium is not installed and this is not root with apt-get; the widget's browser tests will be skipped." >&2
    echo "      Install it with: sudo apt-get install --no-install-recommends chromium chromium-driver" >&2
  fi
fi

stamp=".venv/.installed-$(find pyproject.toml packages/nl_patient_sm -type f -not -path '*/__pycache__/*' | sort | xargs cat | sha256sum | cut -c1-16)"
if [ -f "$stamp" ]; then
  exit 0
fi

log=.venv/install.log
echo "Installing dependencies into .venv (about 3 minutes the first time; log: $log)"
export PIP_DISABLE_PIP_VERSION_CHECK=1
{
  .venv/bin/pip install --upgrade "pip>=23,<25" &&
  .venv/bin/pip install -e ".[test]" &&
  # The Dutch spaCy pipeline: serialize it into a copy of its package, then install that copy.
  rm -rf build/nl_patient_sm && mkdir -p build/nl_patient_sm &&
  (cd packages/nl_patient_sm && git ls-files -co --exclude-standard . | tar -cf - -T -) | tar -xf - -C build/nl_patient_sm &&
  .venv/bin/python build/nl_patient_sm/build_pipeline.py build/nl_patient_sm &&
  .venv/bin/pip install --force-reinstall --no-deps ./build/nl_patient_sm &&
  .venv/bin/pip check
} >"$log" 2>&1 || { tail -n 40 "$log" >&2; echo "error: installation failed, see $log" >&2; exit 1; }
rm -f .venv/.installed-*
touch "$stamp"
echo "Installed. $(du -sh .venv | cut -f1) in .venv"
