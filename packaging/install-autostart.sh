#!/usr/bin/env bash
# Starts the kiosk full screen at every login of the current user, or with --uninstall stops
# doing so. It installs (XDG_CONFIG_HOME and XDG_DATA_HOME are honoured):
#   ~/.config/systemd/user/kiosk.service     the kiosk, restarted after a crash, screen kept awake
#   ~/.config/systemd/user/graphical-session.target.wants/kiosk.service   (what 'enable' makes)
#   ~/.config/autostart/kiosk.desktop        XDG autostart for desktops without systemd sessions
#   ~/.local/share/kiosk-autostart/          the launcher that entry runs, and the list of what
#                                            was installed (so --uninstall removes exactly that)
#
# Usage: install-autostart.sh [--command PATH] [--no-reload] [-- EXTRA KIOSK ARGS]
#        install-autostart.sh --uninstall [--no-reload]
#   --command PATH  the kiosk program: the bundle's 'kiosk' or a virtualenv's 'bin/kiosk'
#                   (default: 'kiosk' next to this script, then ../.venv/bin/kiosk, then PATH)
#   --no-reload     do not talk to the running systemd user manager (images, tests)
set -euo pipefail

MARKER="Installed by kiosk's install-autostart.sh"
here="$(cd "$(dirname "$0")" && pwd)"
templates="$here/linux"

die() {  # die <english> <chinese>: one line each way, exit 2 like the kiosk's own usage errors
  echo "error: $1" >&2
  echo "错误：$2" >&2
  exit 2
}

usage() { sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'; }

command_path=""; uninstall=0; reload=1; extra=()
while [ $# -gt 0 ]; do
  case "$1" in
    --command) [ $# -ge 2 ] || die "--command needs a path — give the kiosk program's path" \
                                    "--command 需要路径 — 请给出 kiosk 程序的路径"
               command_path="$2"; shift 2 ;;
    --command=*) command_path="${1#--command=}"; shift ;;
    --uninstall) uninstall=1; shift ;;
    --no-reload) reload=0; shift ;;
    -h|--help) usage; exit 0 ;;
    --) shift; extra=("$@"); break ;;
    *) die "unknown option $1 — see --help" "未知选项 $1 — 请查看 --help" ;;
  esac
done

config_home="${XDG_CONFIG_HOME:-$HOME/.config}"
data_home="${XDG_DATA_HOME:-$HOME/.local/share}"
unit_dir="$config_home/systemd/user"
unit="$unit_dir/kiosk.service"
wants_dir="$unit_dir/graphical-session.target.wants"
wants="$wants_dir/kiosk.service"
autostart="$config_home/autostart/kiosk.desktop"
own_dir="$data_home/kiosk-autostart"
launcher="$own_dir/kiosk-session-start"
manifest="$own_dir/installed"

have_manager() {  # the running systemd user manager answers, and we may talk to it
  [ "$reload" -eq 1 ] && command -v systemctl >/dev/null 2>&1 \
    && systemctl --user show-environment >/dev/null 2>&1
}

ours() {  # ours <file>: absent, or written by this script (never overwrite someone else's file)
  [ ! -e "$1" ] && [ ! -L "$1" ] && return 0
  [ -L "$1" ] && [ "$(readlink "$1")" = "$unit" ] && return 0
  [ -f "$1" ] && grep -qF "$MARKER" "$1"
}

uninstall_all() {
  if have_manager; then
    systemctl --user stop kiosk.service 2>/dev/null || true
  fi
  local files=("$wants" "$unit" "$autostart" "$launcher" "$manifest") dirs=() kind path
  if [ -f "$manifest" ]; then
    while read -r kind path; do
      case "$kind" in dir) dirs+=("$path") ;; esac
    done < "$manifest"
  fi
  dirs+=("$own_dir")
  for path in "${files[@]}"; do
    if [ -e "$path" ] || [ -L "$path" ]; then
      if [ "$path" = "$manifest" ] || ours "$path"; then
        rm -f -- "$path"
        echo "removed $path"
      else
        echo "kept $path (not installed by this script)" >&2
      fi
    fi
  done
  # folders this script created, deepest first, and only when nothing else was put in them
  local i
  for ((i = ${#dirs[@]} - 1; i >= 0; i--)); do
    rmdir -- "${dirs[i]}" 2>/dev/null || true
  done
  if have_manager; then systemctl --user daemon-reload || true; fi
  echo "the kiosk no longer starts at login (卸载完成：登录后不再自动启动)"
}

created_dirs=()
make_dir() {  # mkdir -p, remembering each folder it had to create (for --uninstall)
  local path="$1" missing=()
  while [ ! -d "$path" ]; do missing=("$path" "${missing[@]}"); path="$(dirname "$path")"; done
  for path in "${missing[@]}"; do
    mkdir -- "$path"
    created_dirs+=("$path")
  done
}

tmp_files=()
cleanup() { [ ${#tmp_files[@]} -eq 0 ] || rm -f -- "${tmp_files[@]}"; }
trap cleanup EXIT

put() {  # put <target> <mode> <content>: write whole or not at all (temp file, then rename)
  local target="$1" mode="$2" content="$3" tmp
  tmp="$(mktemp "$(dirname "$target")/.kiosk-install.XXXXXX")"
  tmp_files+=("$tmp")
  printf '%s\n' "$content" > "$tmp"
  chmod "$mode" "$tmp"
  mv -f -- "$tmp" "$target"
  echo "wrote $target"
}

render() {  # render <template file>: the template with the command and arguments filled in
  local text
  text="$(cat "$templates/$1")"
  text="${text//@KIOSK_COMMAND@/$command_path}"
  text="${text//@KIOSK_ARGS@/$unit_args}"
  text="${text//@KIOSK_ARGS_SH@/$sh_args}"
  text="${text//@SESSION_START@/$launcher}"
  printf '%s' "$text"
}

find_command() {
  if [ -n "$command_path" ]; then printf '%s' "$command_path"; return; fi
  local candidate
  for candidate in "$here/kiosk" "$here/../.venv/bin/kiosk"; do
    if [ -f "$candidate" ] && [ -x "$candidate" ]; then printf '%s' "$candidate"; return; fi
  done
  command -v kiosk || true
}

install_all() {
  [ -d "$templates" ] || die "the templates folder $templates is missing — run the script from the kiosk folder it came with" \
                             "缺少模板目录 $templates — 请在随附的 kiosk 目录中运行本脚本"
  command_path="$(find_command)"
  [ -n "$command_path" ] || die "no kiosk program found — give it with --command PATH (the bundle's kiosk or .venv/bin/kiosk)" \
                                "找不到 kiosk 程序 — 请用 --command 路径 指定（安装包中的 kiosk 或 .venv/bin/kiosk）"
  [ -f "$command_path" ] && [ -x "$command_path" ] \
    || die "$command_path is not an executable file — give the kiosk program with --command" \
           "$command_path 不是可执行文件 — 请用 --command 指定 kiosk 程序"
  command_path="$(cd "$(dirname "$command_path")" && pwd)/$(basename "$command_path")"
  # Characters systemd or desktop entries would read as specifiers, variables or quotes.
  local safe='^[][A-Za-z0-9_./@+,:= -]+$' arg
  for arg in "$command_path" "$launcher"; do
    [[ "$arg" =~ $safe ]] || die "the path $arg has characters a unit file cannot hold (% \$ \" ' \\ \`) — move the kiosk to a plain path" \
                                 "路径 $arg 含有单元文件无法使用的字符 — 请将程序移到普通路径下"
  done
  unit_args=""; sh_args=""
  for arg in "${extra[@]+"${extra[@]}"}"; do
    [[ "$arg" =~ ^[A-Za-z0-9_./@+,:=-]+$ ]] || die "the kiosk argument '$arg' has characters this script does not pass on — use plain words" \
                                                   "参数 '$arg' 含有不支持的字符 — 请使用普通字符"
    unit_args+=" $arg"; sh_args+=" '$arg'"
  done
  "$command_path" --version >/dev/null 2>&1 \
    || die "'$command_path --version' failed — is this the kiosk program? Run it by hand to see why" \
           "'$command_path --version' 运行失败 — 请确认这是 kiosk 程序，并手动运行查看原因"
  # 'kiosk --kiosk' refuses to start without an operator PIN: say so now, not at the next login.
  if "$command_path" config show --json 2>/dev/null | grep -q '"operator_pin": {"value": "(not set)"'; then
    echo "warning: no operator PIN is set, so the kiosk will not start at login — set one first: $command_path config set operator_pin -" >&2
    echo "警告：尚未设置操作员 PIN，登录后 kiosk 将无法启动 — 请先设置：$command_path config set operator_pin -" >&2
  fi
  local target
  for target in "$unit" "$wants" "$autostart" "$launcher"; do
    ours "$target" || die "$target exists and was not installed by this script — move it away first" \
                          "$target 已存在且不是本脚本安装的 — 请先移走"
  done

  local old_dirs=()
  if [ -f "$manifest" ]; then
    local kind path
    while read -r kind path; do [ "$kind" = dir ] && old_dirs+=("$path"); done < "$manifest"
  fi
  make_dir "$unit_dir"; make_dir "$wants_dir"; make_dir "$(dirname "$autostart")"; make_dir "$own_dir"

  put "$launcher" 755 "$(render kiosk-session-start)"
  put "$unit" 644 "$(render kiosk.service)"
  put "$autostart" 644 "# $MARKER
$(render kiosk.desktop)"
  ln -sfn -- "$unit" "$wants"
  echo "linked $wants"
  local lines=() d
  for d in "${old_dirs[@]+"${old_dirs[@]}"}" "${created_dirs[@]+"${created_dirs[@]}"}"; do
    lines+=("dir $d")
  done
  put "$manifest" 644 "$(printf '%s\n' "# $MARKER" "${lines[@]+"${lines[@]}"}" "file $unit" "link $wants" "file $autostart" "file $launcher")"
  if have_manager; then systemctl --user daemon-reload || true; fi
  echo "the kiosk starts at the next login: $command_path --kiosk${unit_args}"
  echo "登录后将自动全屏启动。立即启动：systemctl --user start kiosk.service；卸载：$0 --uninstall"
}

if [ "$uninstall" -eq 1 ]; then uninstall_all; else install_all; fi
