#!/usr/bin/env bash
# Sets up a fresh Debian 12 machine for the kiosk and runs one job:
#   bash packaging/dev.sh demo   the end-to-end verification against the built-in emulator
#   bash packaging/dev.sh test   ruff, mypy and lint-imports, then the whole test suite
# It installs what is missing (Debian packages with apt-get, Python packages into ./.venv pinned by
# packaging/constraints.txt) and does nothing more on a machine that already has them.
set -euo pipefail
cd "$(dirname "$0")/.."

job="${1:-}"; shift || true
case "$job" in demo|test|setup|gui) ;; *) echo "usage: bash packaging/dev.sh demo|test|setup|gui [ARGS...]" >&2; exit 2;; esac

# Debian packages: ffmpeg (encoding, probing), PortAudio (microphones), Xvfb and the xcb libraries
# Qt needs for a real window, espeak-ng and sox (test and sample media), libsndfile, CJK fonts,
# desktop-file-utils (the autostart entry is validated in the tests), PulseAudio with ALSA's pulse
# plugin and pactl (the microphone tests record through a private sound server); PostgreSQL (the
# fleet tests start a private cluster), chromium and chromium-driver (the fleet page's browser test),
# binutils (the bundle test's build: PyInstaller's objdump, strip_bundle.py's strip, readelf).
DEB_PACKAGES="ffmpeg libportaudio2 libsndfile1 xvfb xauth libxcb-icccm4 libxcb-keysyms1 libxcb-image0
  libxcb-render-util0 libxcb-shape0 libxcb-xinerama0 libxcb-cursor0 libxkbcommon-x11-0 libegl1 libgl1
  libfontconfig1 libdbus-1-3 fonts-noto-cjk espeak-ng sox desktop-file-utils python3-venv"
# Only the test job needs the sound server, the database server and the browser.
if [ "$job" = test ]; then
  DEB_PACKAGES="$DEB_PACKAGES pulseaudio pulseaudio-utils libasound2-plugins postgresql chromium
  chromium-driver binutils"
fi
missing=""
if command -v dpkg-query >/dev/null 2>&1; then
  for p in $DEB_PACKAGES; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
  done
fi
if [ -n "$missing" ]; then
  echo "== installing Debian packages:$missing"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi

PY="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
  echo "== creating .venv"
  "$PY" -m venv .venv
fi
stamp=".venv/.kiosk-installed"
want="$(cat pyproject.toml packaging/constraints.txt 2>/dev/null | sha256sum | cut -d' ' -f1)"
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  echo "== installing Python packages into .venv (pinned by packaging/constraints.txt)"
  cons=(); [ -f packaging/constraints.txt ] && cons=(-c packaging/constraints.txt)
  # pip's and setuptools' notes are noise on success: kept in a log, shown when something fails.
  log=".venv/pip-install.log"
  if ! { .venv/bin/python -m pip install -q --upgrade pip &&
         .venv/bin/python -m pip install -q "${cons[@]}" -e ".[test]"; } >"$log" 2>&1; then
    tail -n 30 "$log" >&2
    echo "error: pip could not install the Python packages — see the lines above (full log: $log)" >&2
    exit 2
  fi
  .venv/bin/python -c "import kiosk, cv2, PySide6, av" || { echo "error: Python packages did not install — see the pip output above" >&2; exit 2; }
  echo "$want" > "$stamp"
fi

case "$job" in
  setup) echo "== ready: .venv/bin/kiosk --help" ;;
  demo) exec .venv/bin/kiosk demo "$@" ;;
  gui) exec .venv/bin/kiosk gui "$@" ;;
  test)
    # The checks the docs promise run before pytest, so any of them failing fails CI. Each is quiet
    # when it passes; a failing one shows the end of its output and is named.
    failed=""
    for check in "ruff check kiosk tests" "mypy kiosk" "lint-imports"; do
      # shellcheck disable=SC2086  # the command and its arguments are split on purpose
      if ! out="$(.venv/bin/$check 2>&1)"; then
        printf '%s\n' "$out" | tail -n 40 >&2
        echo "error: '$check' failed — see the lines above" >&2
        failed="$failed, ${check%% *}"
      fi
    done
    if [ -n "$failed" ]; then
      echo "error: static checks failed (${failed#, }) — fix them; pytest was not run" >&2
      exit 1
    fi
    echo "== ruff, mypy, lint-imports: passed"
    export QT_QPA_PLATFORM=offscreen
    # Test paths given: just those. Otherwise the suite runs in three parts. The tests that measure
    # time (marked "timing": GUI-thread stalls, A/V sync, crash recovery) run one at a time at
    # normal priority; all the others run beside them, two at a time (pytest-xdist, a file's tests
    # together) at the lowest priority (nice 19), so they take only the CPU the timing tests leave
    # idle. Then the counter-day soak (marked "alone") runs with nothing beside it: its limit of
    # 100 ms per GUI-thread stall, over minutes, is about the window, not about other jobs (the
    # hour-long soak stalled 171-1104 ms only while other jobs loaded the machine).
    for arg in "$@"; do
      case "$arg" in -*) ;; *) exec .venv/bin/python -m pytest -q "$@" ;; esac
    done
    base="$(mktemp -d)"
    nice -n 19 .venv/bin/python -m pytest -q -p no:cacheprovider -n 2 --dist loadfile \
      --basetemp "$base/quiet" -m "not timing" "$@" tests >"$base/quiet.log" 2>&1 &
    quiet=$!
    trap 'kill "$quiet" 2>/dev/null; rm -rf "$base"' INT TERM
    echo "== tests that measure time (-m timing), one at a time; the others run beside them (nice 19)"
    rc_timed=0
    .venv/bin/python -m pytest -q -p no:cacheprovider --basetemp "$base/timed" \
      -m "timing and not alone" "$@" tests || rc_timed=$?
    rc_quiet=0
    wait "$quiet" || rc_quiet=$?
    echo "== the other tests (-m 'not timing', two at a time)"
    cat "$base/quiet.log"
    echo "== the counter-day soak (-m alone), with nothing beside it"
    rc_alone=0
    .venv/bin/python -m pytest -q -p no:cacheprovider --basetemp "$base/alone" -m alone "$@" \
      tests || rc_alone=$?
    rm -rf "$base"
    # pytest's 5 is "no test selected": a part that -k or -m left empty, fine unless all three are.
    if [ "$rc_timed" -eq 5 ] && [ "$rc_quiet" -eq 5 ] && [ "$rc_alone" -eq 5 ]; then
      echo "error: no test matched the arguments given — check the -k or -m expression" >&2
      exit 5
    fi
    for rc in "$rc_timed" "$rc_quiet" "$rc_alone"; do
      [ "$rc" -eq 0 ] || [ "$rc" -eq 5 ] || exit 1
    done ;;
esac
