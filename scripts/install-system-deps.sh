#!/usr/bin/env bash
# Installs the Debian packages the project needs beyond Node itself:
#   bubblewrap  the local sandbox (Linux namespaces)
#   util-linux  prlimit, setpriv and unshare (resource limits, dropping to a non-root host user, tying
#               every sandbox to its owner with a death signal and a pid namespace), nsenter
#   iproute2    ip netns, for a sandbox that may reach only the egress proxy
#   openssl     issues the egress proxy's CA and per-host certificates (TLS interception for credential hosts)
#   ripgrep     faster grep tool (optional at run time: the tools fall back to grep)
#   chromium    end-to-end browser tests
# Idempotent: packages already installed are skipped, and the package lists are refreshed only
# when something is missing. Runs as root, or through sudo when it is available.
set -euo pipefail

PACKAGES=(bubblewrap util-linux iproute2 openssl ripgrep chromium)

if ! command -v dpkg >/dev/null 2>&1 || ! command -v apt-get >/dev/null 2>&1; then
  echo "install-system-deps: this script supports Debian-based systems (dpkg + apt-get) only" >&2
  exit 1
fi

# `dpkg -s` also succeeds for a removed package whose config files remain: check the status word.
is_installed() {
  dpkg -s "$1" >/dev/null 2>&1 && [ "$(dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null)" = "installed" ]
}

missing=()
for pkg in "${PACKAGES[@]}"; do
  is_installed "$pkg" || missing+=("$pkg")
done

if [ "${#missing[@]}" -eq 0 ]; then
  echo "install-system-deps: all present (${PACKAGES[*]})"
  exit 0
fi

if [ "$(id -u)" -eq 0 ]; then
  run_root() { "$@"; }
elif command -v sudo >/dev/null 2>&1; then
  run_root() { sudo "$@"; }
else
  echo "install-system-deps: missing ${missing[*]} and not root (no sudo available)" >&2
  exit 1
fi

echo "install-system-deps: installing ${missing[*]}"
run_root env DEBIAN_FRONTEND=noninteractive apt-get update
run_root env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}"
echo "install-system-deps: done"
