#!/usr/bin/env bash
# Idle repaints and CPU per view, peak memory after opening every view, and the cost of a rendered frame, of the real
# window in a private virtual X server (the binary's hidden --probe modes, src/ui/probe.rs).
#
#   scripts/idle-memory.sh [SETTLE_SECONDS] [WINDOW_SECONDS]     (defaults 5 and 10)
#
# Needs the Debian packages xvfb, x11-utils and mesa-vulkan-drivers; the binary is $ATLAS_BIN, else
# target/release/integration-atlas (run `cargo build --release` first).
# - idle: for each view, no input at all; frames the app ran (egui frames) and the process's CPU time
#   (utime + stime) during WINDOW seconds that start SETTLE seconds after the first frame. Target: 0 frames/s, < 1%.
# - tour: opens every view in turn (5 frames each) and prints VmRSS after each and the peak (VmHWM); 3 runs.
# - paint: repaints continuously (100 frames) on three views and prints the time per rendered frame: under Xvfb
#   this is dominated by the software rasteriser (lavapipe), which a machine with a GPU does not use.
set -euo pipefail

SETTLE="${1:-5}"
WINDOW="${2:-10}"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
BIN="${ATLAS_BIN:-$ROOT/target/release/integration-atlas}"
VIEWS="home explorer checklist cities regions survey responses workshop sources notes stories"
command -v Xvfb >/dev/null || { echo "error: Xvfb is missing (Debian package xvfb)" >&2; exit 2; }
command -v xdpyinfo >/dev/null || { echo "error: xdpyinfo is missing (Debian package x11-utils)" >&2; exit 2; }
[ -x "$BIN" ] || { echo "error: $BIN not found; run cargo build --release or set ATLAS_BIN" >&2; exit 2; }

WORK="$(mktemp -d)"
XVFB_PID=""
cleanup() {
    [ -n "$XVFB_PID" ] && kill "$XVFB_PID" 2>/dev/null || true
    rm -rf "$WORK"
}
trap cleanup EXIT

for n in $(seq 90 140); do
    if [ ! -e "/tmp/.X11-unix/X$n" ] && [ ! -e "/tmp/.X$n-lock" ]; then DISPLAY_NUM=$n; break; fi
done
export DISPLAY=":$DISPLAY_NUM"
Xvfb "$DISPLAY" -screen 0 1920x1080x24 -nolisten tcp >"$WORK/xvfb.log" 2>&1 &
XVFB_PID=$!
for _ in $(seq 1 200); do xdpyinfo >/dev/null 2>&1 && break; sleep 0.02; done
xdpyinfo >/dev/null 2>&1 || { echo "error: Xvfb did not start:" >&2; cat "$WORK/xvfb.log" >&2; exit 1; }

mkdir -p "$WORK/runtime" && chmod 700 "$WORK/runtime"
export XDG_RUNTIME_DIR="$WORK/runtime" XDG_DATA_HOME="$WORK/data" XDG_CONFIG_HOME="$WORK/config"
DB="$WORK/atlas.sqlite"
"$BIN" --db "$DB" stats >/dev/null

echo "idle, ${WINDOW} s measured after ${SETTLE} s without input ($(nproc) cores):"
for view in $VIEWS; do
    line=$("$BIN" --db "$DB" --view "$view" --probe "idle:$SETTLE:$WINDOW" | grep '^idle: [0-9]')
    printf '  %-10s %s\n' "$view" "${line#idle: }"
done
echo
echo "peak memory after opening every view (3 runs):"
for run in 1 2 3; do
    "$BIN" --db "$DB" --probe tour | sed -n "s/^tour: peak after every view: /  run $run: /p"
done
echo
echo "rendered frame, repainting continuously:"
for view in home explorer regions; do
    "$BIN" --db "$DB" --view "$view" --probe paint:100 | sed 's/^paint: /  /'
done
