#!/usr/bin/env bash
# Builds the kiosk's one-folder bundle, packaging/build/dist/kiosk/, that runs on a machine with
# no Python: 'packaging/build/dist/kiosk/kiosk --version'. Copy that whole folder to the target.
#
# It builds from a clean virtual environment made here (never from .venv): the project is
# installed into it with pip from this checkout, pinned by packaging/constraints.txt, plus
# PyInstaller. That environment is kept in packaging/build/env-<key>, where the key is a hash of
# the Python version, pyproject.toml, the constraints and this script's recipe, so a second build
# only reinstalls the project's own code (seconds) and re-runs PyInstaller. When nothing that goes
# into the bundle changed either (kiosk/, assets/, the spec, the entry point, the hooks, this
# script), the bundle is kept as it is.
#
# Usage: bash packaging/build.sh [--fresh]
#   --fresh   make the build environment and the bundle again even when they are up to date
# Environment: PYTHON   the interpreter to build with (default: python3); it must be the same
#                       minor version and architecture as the targets'.
#              KIOSK_BUILD_LOCK_HELD=1   the caller holds packaging/build/.lock already
# Exit status: 0 built or up to date; 2 it could not (the reason in English and Chinese).
set -euo pipefail
# The whole script is one block, read before it runs: editing this file while a build is running
# (another test run, say) cannot change what that build does half-way.
{
cd "$(dirname "$0")/.."
repo="$(pwd)"
out="$repo/packaging/build"
PY="${PYTHON:-python3}"
RECIPE="env-recipe-2: pip install -c constraints <build-system.requires> <project> pyinstaller"

die() {  # die <english> <chinese>
  echo "error: $1" >&2
  echo "错误：$2" >&2
  exit 2
}

fresh=0
case "${1:-}" in
  "") ;;
  --fresh) fresh=1 ;;
  -h|--help) sed -n '2,/^set /p' "$0" | grep '^#' | sed 's/^# \{0,1\}//'; exit 0 ;;
  *) die "unknown option $1 — see --help" "未知选项 $1 — 请查看 --help" ;;
esac

command -v "$PY" >/dev/null 2>&1 || die "no Python interpreter '$PY' — install python3 or set PYTHON" \
                                        "找不到 Python 解释器 '$PY' — 请安装 python3 或设置 PYTHON"
"$PY" -c 'import sys; assert sys.version_info >= (3, 11)' 2>/dev/null \
  || die "'$PY' is older than Python 3.11, which the kiosk needs — install python3.11 or set PYTHON" \
         "'$PY' 低于 Python 3.11（本程序所需）— 请安装 python3.11 或设置 PYTHON"
"$PY" -c 'import venv, ensurepip' 2>/dev/null || die "'$PY' cannot make virtual environments — install python3-venv" \
                                                   "'$PY' 无法创建虚拟环境 — 请安装 python3-venv"
[ -f assets/people.json ] && [ -f assets/sample_clip.mp4 ] \
  || die "assets/ has no sample media — make it first (see assets/README.md)" \
         "assets/ 中没有示例媒体 — 请先生成（见 assets/README.md）"

mkdir -p "$out"
# One build at a time in this folder (two test runs may start one each): the second waits. The
# bundle test and benchmark hold the lock shared while they run the bundle, so it is not replaced
# under them; a caller that already holds it exclusively sets KIOSK_BUILD_LOCK_HELD=1.
if [ "${KIOSK_BUILD_LOCK_HELD:-}" != 1 ] && command -v flock >/dev/null 2>&1; then
  exec 9>"$out/.lock"
  flock -n 9 || { echo "== another build or bundle test is using $out; waiting for it"; flock 9; }
fi
log="$out/build.log"
pip_install() {  # pip_install <env python> ARGS...: quiet unless it fails; then show why
  local py="$1"; shift
  if ! "$py" -m pip install --disable-pip-version-check -q "$@" >>"$log" 2>&1; then
    grep -v "^WARNING: Location '" "$log" | tail -40 >&2
    die "pip could not install the build environment (full log: $log) — check the network to the package index" \
        "pip 安装构建环境失败（完整日志：$log）— 请检查到软件包索引的网络"
  fi
}

cons=()
[ -f packaging/constraints.txt ] && cons=(-c "$repo/packaging/constraints.txt")
# The project's build requirements go into the environment itself, so a later build can reinstall
# the kiosk's code with --no-build-isolation (no download); the venv's own setuptools is too old
# for pyproject's SPDX license field. (A read loop, not mapfile: macOS still ships bash 3.2.)
build_reqs=()
while IFS= read -r req; do build_reqs+=("$req"); done < <("$PY" -c 'import tomllib
for r in tomllib.load(open("pyproject.toml", "rb"))["build-system"]["requires"]: print(r)')

digest() {  # digest TEXT-ON-STDIN PATH...: 16 hex digits over stdin and the files' names and bytes
  "$PY" -c '
import hashlib, sys
from pathlib import Path
h = hashlib.sha256(sys.stdin.buffer.read())
for top in sys.argv[1:]:
    root = Path(top)
    for path in [root] if root.is_file() else sorted(p for p in root.rglob("*") if p.is_file()):
        if "__pycache__" not in path.parts and path.suffix != ".pyc":
            h.update(path.as_posix().encode() + b"\0" + path.read_bytes())
print(h.hexdigest()[:16])' "$@"
}

# The build environment is named for what goes into it: this Python, the parts of pyproject that
# decide what pip installs (not the test and lint settings, which change often), the constraints.
key="$( { "$PY" -c 'import json, platform, sys, tomllib
meta = tomllib.load(open("pyproject.toml", "rb"))
print(sys.version, platform.machine())
print(json.dumps([meta["build-system"], meta["project"], meta.get("tool", {}).get("setuptools")],
                 sort_keys=True))'
          echo "$RECIPE"; } | digest $(ls packaging/constraints.txt 2>/dev/null))"
env_dir="$out/env-$key"
envpy="$env_dir/bin/python"
[ -d "$env_dir/Scripts" ] && envpy="$env_dir/Scripts/python.exe"  # Git Bash on Windows

add_extras() {  # add_extras BUNDLE: what operators get beside the program (not PyInstaller's)
  rm -rf "$1/linux"
  cp packaging/install-autostart.sh "$1/"
  cp -r packaging/linux "$1/linux"
  cp packaging/README.md "$1/README.md"
}

# Everything PyInstaller's output is made of, hashed by content: when none of it changed since
# the last build, the bundle is reused as it is and only the extras are copied again.
inputs="$(echo "$key" | digest kiosk assets packaging/kiosk.spec packaging/kiosk_entry.py \
                                packaging/hooks packaging/build.sh packaging/strip_bundle.py)"
if [ "$fresh" -eq 0 ] && [ -x "$out/dist/kiosk/kiosk" ] && [ -f "$env_dir/.complete" ] \
   && [ "$(cat "$out/dist/inputs.key" 2>/dev/null)" = "$inputs" ]; then
  add_extras "$out/dist/kiosk"
  echo "== the bundle is up to date: $out/dist/kiosk"
  echo "   ($(( $(du -sk "$out/dist/kiosk" | cut -f1) / 1024 )) MiB; 'bash packaging/build.sh --fresh' builds it again)"
  exit 0
fi

: > "$log"  # (not earlier: an up-to-date run keeps the last build's log)

# The project's sources as pip should see them: a copy, so pip's in-tree build leaves nothing in
# the checkout and no stale module of an earlier build can slip into the wheel.
stage="$out/src"
rm -rf "$stage"
mkdir -p "$stage"
cp pyproject.toml README.md "$stage/"
tar -C "$repo" --exclude=__pycache__ --exclude='*.pyc' -cf - kiosk | tar -C "$stage" -xf -

start=$(date +%s)
if [ "$fresh" -eq 1 ] || [ ! -f "$env_dir/.complete" ]; then
  echo "== making the build environment $env_dir (first build, or pyproject/constraints changed)"
  rm -rf "$out"/env-* "$out"/work-*
  "$PY" -m venv "$env_dir"
  [ -x "$envpy" ] || envpy="$env_dir/Scripts/python.exe"
  pip_install "$envpy" "${cons[@]}" "${build_reqs[@]}" "$stage" pyinstaller
  touch "$env_dir/.complete"
else
  echo "== reusing the build environment $env_dir; reinstalling the kiosk's own code"
  pip_install "$envpy" --no-deps --no-build-isolation --force-reinstall "$stage"
fi
echo "   ready in $(( $(date +%s) - start )) s"

echo "== PyInstaller (one folder)"
start=$(date +%s)
tmp_dist="$out/dist.partial"
rm -rf "$tmp_dist"
# Run from the build folder so nothing is imported from the checkout instead of the environment;
# PyInstaller's own cache stays in the build folder too.
( cd "$out" && PYINSTALLER_CONFIG_DIR="$out/pyinstaller-cache" "$envpy" -m PyInstaller \
    --noconfirm --log-level INFO --distpath "$tmp_dist" --workpath "$out/work-$key" \
    "$repo/packaging/kiosk.spec" ) >>"$log" 2>&1 \
  || { tail -40 "$log" >&2
       die "PyInstaller failed (full log: $log)" "PyInstaller 打包失败（完整日志：$log）"; }
echo "   built in $(( $(date +%s) - start )) s"

bundle="$tmp_dist/kiosk"
add_extras "$bundle"
# Symbol tables no one reads: 67 of 813 MiB (strip_bundle.py checks each library as the loader
# would and puts back any that strip breaks). Linux only: macOS signs what it strips.
if [ "$(uname -s)" = Linux ]; then
  echo "== stripping the libraries' unused symbols"
  "$envpy" "$repo/packaging/strip_bundle.py" "$bundle"
fi

# Nothing of this machine may be baked in: no path of the checkout (which holds the build
# environment too) in any file of the bundle.
leaks="$(grep -rlF -- "$repo" "$bundle" || true)"
if [ -n "$leaks" ]; then
  echo "$leaks" >&2
  die "the bundle contains the build machine's path $repo in the files above" \
      "打包结果中含有构建机器的路径 $repo（见上方文件）"
fi

# A first run the way an operator's machine would do it: no virtual environment on PATH.
clean_path="$(printf '%s' "$PATH" | tr ':' '\n' | grep -v -e '/\.venv' -e 'venv/' -e '/\.pyenv/' \
              -e "^$out" ${VIRTUAL_ENV:+-e "^$VIRTUAL_ENV"} | paste -sd: -)"
if ! env -u VIRTUAL_ENV -u PYTHONPATH -u PYTHONHOME PATH="$clean_path" "$bundle/kiosk" --version \
     > "$out/version.txt" 2>&1; then
  cat "$out/version.txt" >&2
  die "the bundle does not start: 'kiosk --version' failed (output above)" \
      "打包结果无法启动：'kiosk --version' 运行失败（见上方输出）"
fi

rm -rf "$out/dist"
mkdir -p "$out/dist"
mv "$bundle" "$out/dist/kiosk"
# macOS: the spec also makes Kiosk.app, the form that asks for camera and microphone permission.
[ -d "$tmp_dist/Kiosk.app" ] && mv "$tmp_dist/Kiosk.app" "$out/dist/Kiosk.app"
echo "$inputs" > "$out/dist/inputs.key"
rm -rf "$tmp_dist"
size_mb=$(( $(du -sk "$out/dist/kiosk" | cut -f1) / 1024 ))
echo "== bundle: $out/dist/kiosk ($size_mb MiB)"
sed 's/^/   /' "$out/version.txt"
exit 0
}
