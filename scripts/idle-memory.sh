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

# A temp folder and a private X server on a free display number.
X_READY="xdpyinfo"
# shellcheck source=scripts/private-x.sh
source "$ROOT/scripts/private-x.sh"

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
