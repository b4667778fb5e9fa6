#!/usr/bin/env bash
# Installs the system packages the end-to-end tests and the system-browser host need:
#   chromium          the browser that playwright-core drives (we never download Playwright's own)
#   xvfb              Xvfb + xvfb-run, for headed runs (Electron windows, screenshots) without a display
#   fonts-wqy-zenhei  CJK glyphs so Taobao pages render text, not boxes, in screenshots
#                     (chosen over fonts-noto-cjk: ~16 MB installed instead of ~90 MB)
# Idempotent and silent when everything is present. Debian/Ubuntu only: elsewhere it says what to
# install by hand and exits 0, so `npm test` still runs (the e2e tests then skip with a reason).
set -euo pipefail

log() { printf 'setup-system: %s\n' "$*"; }

is_installed() {
  [ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null || true)" = "install ok installed" ]
}

wanted=()
is_installed chromium || wanted+=(chromium)
is_installed xvfb || wanted+=(xvfb)
# Either CJK font family is enough; only the smaller one is ever installed.
if ! is_installed fonts-wqy-zenhei && ! is_installed fonts-noto-cjk; then
  wanted+=(fonts-wqy-zenhei)
fi

if [ ${#wanted[@]} -eq 0 ]; then
  exit 0
fi

if ! command -v apt-get >/dev/null 2>&1 || ! command -v dpkg-query >/dev/null 2>&1; then
  log "not a Debian-like system: install these yourself: ${wanted[*]}" >&2
  log "(or point SHOPWARDEN_CHROMIUM at a Chrome/Chromium binary); e2e tests will be skipped meanwhile" >&2
  exit 0
fi

sudo=()
if [ "$(id -u)" -ne 0 ]; then
  if ! command -v sudo >/dev/null 2>&1; then
    log "need root to install ${wanted[*]}, and sudo is not available" >&2
    exit 1
  fi
  sudo=(sudo)
fi

export DEBIAN_FRONTEND=noninteractive
log "installing ${wanted[*]}"
log "apt-get update"
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${wanted[@]}" >/dev/null
log "installed ${wanted[*]}"
