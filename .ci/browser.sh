#!/usr/bin/env bash
# Prepares the real-browser tests (internal/browser): Debian's chromium and
# axe-core from npm. .ci/run sources it before `go test`, so the export
# below reaches the tests; run alone, it only installs.
#
#   source .ci/browser.sh   # from the repository's root
#
# Chromium comes from Debian's packages, never from a test tool's download.
# ARENA_REQUIRE_BROWSER=1 makes the browser tests fail, not skip, when
# chromium or axe-core is missing.

_arena_browser_setup() {
  local root
  root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
  if [ ! -x /usr/bin/chromium ]; then
    echo "browser.sh: installing Debian's chromium"
    apt-get update -qq || return 1
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-dejavu-core fonts-liberation >/dev/null || return 1
  fi
  /usr/bin/chromium --version || return 1
  if ! command -v npm >/dev/null 2>&1; then
    echo "browser.sh: npm is missing; installing Debian's npm"
    apt-get update -qq || return 1
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm >/dev/null || return 1
  fi
  npm ci --prefix "$root/tools/axe" --no-audit --no-fund --loglevel=error || return 1
  test -f "$root/tools/axe/node_modules/axe-core/axe.min.js" || return 1
}

if ! _arena_browser_setup; then
  echo "browser.sh: could not prepare chromium and axe-core" >&2
  # Sourced: return to .ci/run (whose set -e stops it); run alone: exit.
  return 1 2>/dev/null || exit 1
fi
export ARENA_REQUIRE_BROWSER=1
