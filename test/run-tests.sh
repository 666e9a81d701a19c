#!/usr/bin/env bash
# `npm test`: the whole suite. Lint (including the layering rules), typecheck, build (the UI tests drive the built
# renderer; the packaging test packs the built app), then every vitest project inside a private D-Bus session with an
# unlocked gnome-keyring, so the keychain tests talk to a real Secret Service. Extra arguments go to vitest
# (e.g. `npm test -- --project unit`).
set -euo pipefail
cd "$(dirname "$0")/.."

major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$major" -lt 24 ]; then
  echo "Switchyard needs Node 24 (this is $(node --version)). Run: . build/toolchain/node24.sh" >&2
  exit 1
fi
if ! command -v redis-server >/dev/null; then
  echo "redis-server is missing: the shared guard state tests (test/integration/cluster) start a real Redis. On Debian/Ubuntu: apt-get install redis-server openssl (bash .ci/run does this)." >&2
  exit 1
fi
for tool in dbus-run-session gnome-keyring-daemon; do
  if ! command -v "$tool" >/dev/null; then
    echo "$tool is missing: the keychain tests need a real Secret Service. On Debian/Ubuntu: apt-get install gnome-keyring dbus-x11 (bash .ci/run does this)." >&2
    exit 1
  fi
done

step() { printf '\n== %s\n' "$*"; }
step lint
npm run --silent lint
step typecheck
npm run --silent typecheck
step build
npm run --silent build
step "tests (vitest, in a D-Bus session with gnome-keyring)"
# The keyring lives in a throwaway folder: tests never see or touch the keyrings of the person running them, and a
# fresh keyring is created (and unlocked) with the test password every time.
keyring_home=$(mktemp -d)
trap 'rm -rf "$keyring_home"' EXIT
XDG_DATA_HOME="$keyring_home" dbus-run-session -- bash -c '
  set -e
  echo -n switchyard-test | gnome-keyring-daemon --unlock --components=secrets >/dev/null
  exec node_modules/.bin/vitest run --config test/vitest.config.ts "$@"
' bash "$@"
