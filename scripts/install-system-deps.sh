#!/usr/bin/env bash
# Installs the Debian packages the project needs beyond Node itself:
#   bubblewrap  the local sandbox (Linux namespaces)
#   util-linux  prlimit, setpriv and unshare (resource limits, dropping to a non-root host user, tying
#               every sandbox to its owner with a death signal and a pid namespace), nsenter
#   iproute2    ip netns, for a sandbox that may reach only the egress proxy
#   openssl     issues the egress proxy's CA and per-host certificates (TLS interception for credential hosts)
#   ripgrep     faster grep tool (optional at run time: the tools fall back to grep)
#   chromium    end-to-end browser tests
#
#   bash scripts/install-system-deps.sh            everything (what `npm test` and CI need)
#   bash scripts/install-system-deps.sh --runtime  what the server needs to run tools (`npm start`)
#
# Idempotent: packages already installed are skipped (nothing is ever removed), and the package
# lists are refreshed only when something is missing. Runs apt-get as root; otherwise through sudo,
# without a password prompt when none is needed and with one when a terminal can answer it. When
# neither works, it prints one line with the exact command to run, and exits 1.
set -euo pipefail

RUNTIME=(bubblewrap util-linux iproute2 openssl ripgrep)
PACKAGES=("${RUNTIME[@]}" chromium)
case "${1:-}" in
  --runtime) PACKAGES=("${RUNTIME[@]}") ;;
  "") ;;
  *) echo "install-system-deps: unknown option $1 (use --runtime, or nothing)" >&2; exit 2 ;;
esac

if ! command -v dpkg-query >/dev/null 2>&1 || ! command -v apt-get >/dev/null 2>&1; then
  echo "install-system-deps: this script supports Debian-based systems (dpkg + apt-get) only; install ${PACKAGES[*]} with your system's package manager" >&2
  exit 1
fi

# A removed package whose config files remain is known to dpkg but not installed: check the status word.
is_installed() {
  [ "$(dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null)" = "installed" ]
}

missing=()
for pkg in "${PACKAGES[@]}"; do
  is_installed "$pkg" || missing+=("$pkg")
done

if [ "${#missing[@]}" -eq 0 ]; then
  echo "install-system-deps: all present (${PACKAGES[*]})"
  exit 0
fi

APT=(env DEBIAN_FRONTEND=noninteractive apt-get)
command_line="sudo apt-get update && sudo apt-get install -y --no-install-recommends ${missing[*]}"
cannot() {
  echo "install-system-deps: missing ${missing[*]} ($1); run: $command_line" >&2
  exit 1
}

if [ "$(id -u)" -eq 0 ]; then
  as_root=()
  command_line="apt-get update && apt-get install -y --no-install-recommends ${missing[*]}"
elif ! command -v sudo >/dev/null 2>&1; then
  cannot "not root, and sudo is not installed"
elif sudo -n true >/dev/null 2>&1; then
  as_root=(sudo -n)
elif [ -t 0 ]; then
  echo "install-system-deps: installing ${missing[*]} needs root: sudo may ask for your password"
  as_root=(sudo)
else
  cannot "not root, and sudo needs a password but there is no terminal to ask"
fi

echo "install-system-deps: installing ${missing[*]}"
"${as_root[@]}" "${APT[@]}" update || cannot "apt-get update failed"
"${as_root[@]}" "${APT[@]}" install -y --no-install-recommends "${missing[@]}" || cannot "apt-get install failed"
echo "install-system-deps: done"
