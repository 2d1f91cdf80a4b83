#!/usr/bin/env bash
# Installs the Debian packages a target needs when they are missing; does nothing otherwise.
set -euo pipefail
what=${1:-test}
need=()
case "$what" in
  test)
    command -v chromium >/dev/null || need+=(chromium)
    command -v msgfmt >/dev/null || need+=(gettext)
    fc-list 2>/dev/null | grep -qi "Noto Sans CJK" || need+=(fonts-noto-cjk)
    ;;
  postgres)
    if ! command -v initdb >/dev/null && ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
      need+=(postgresql)
    fi
    ;;
esac
[ ${#need[@]} -eq 0 ] && exit 0
echo "Installing Debian packages: ${need[*]}"
sudo=""; [ "$(id -u)" = 0 ] || sudo=sudo
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
