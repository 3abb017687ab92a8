#!/usr/bin/env bash
# Installs everything standup needs on a fresh Debian 12 machine and prints the venv's path.
#   scripts/setup.sh app    the app: Python packages + the desktop libraries pystray needs
#   scripts/setup.sh test   also the test desktop: Xvfb, D-Bus, notification daemons, tray host,
#                           xdotool, Chromium (for the summary report test)
# Idempotent: a second run only checks. Needs root (or sudo) for apt on a fresh machine.
set -euo pipefail
cd "$(dirname "$0")/.."
want=${1:-app}
VENV=${STANDUP_VENV:-.venv}

APP_DEBS="pkg-config gcc libgirepository1.0-dev libcairo2-dev libglib2.0-dev
          gir1.2-gtk-3.0 gir1.2-ayatanaappindicator3-0.1 libnotify-bin dbus fonts-dejavu-core python3-tk"
TEST_DEBS="xvfb dbus-x11 trayer dunst xfce4-notifyd xdotool xprintidle x11-utils chromium
           xfce4-panel sway waybar mako-notifier grim python3-venv
           desktop-file-utils appstream librsvg2-bin tmux
           gnome-shell gnome-shell-extension-appindicator gjs"

missing=()
debs=$APP_DEBS; [ "$want" = test ] && debs="$APP_DEBS $TEST_DEBS"
for p in $debs; do dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo"
  echo "setup: installing Debian packages: ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get -o DPkg::Lock::Timeout=600 update -qq >&2
  $sudo apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${missing[@]}" >&2
fi

PY=${PYTHON:-python3}
if [ ! -x "$VENV/bin/python" ]; then
  if ! "$PY" -m venv "$VENV" >&2; then   # Debian's own python3 needs python3-venv for this
    rm -rf "$VENV"
    sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo"
    $sudo apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends python3-venv >&2
    "$PY" -m venv "$VENV" >&2
  fi
fi
stamp="$VENV/.standup-$want-$(cat pyproject.toml | sha1sum | cut -c1-12)"
if [ ! -e "$stamp" ]; then
  echo "setup: installing Python packages into $VENV" >&2
  "$VENV/bin/pip" install -q --disable-pip-version-check -U pip >&2
  extras="linux-desktop"; [ "$want" = test ] && extras="linux-desktop,test"
  "$VENV/bin/pip" install -q --disable-pip-version-check -e ".[$extras]" >&2
  touch "$stamp"
fi
echo "$VENV"
