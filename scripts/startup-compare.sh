#!/usr/bin/env bash
# Start-up to first frame: Integration Atlas vs DB Browser for SQLite (Debian package `sqlitebrowser`), both opening
# the same database in a private virtual X server, N runs each (default 7, after one discarded warm-up run); prints
# the medians and the ratio.
#
#   scripts/startup-compare.sh [RUNS]
#
# Needs (Debian packages): xvfb, x11-utils (xev), xdotool, sqlitebrowser, mesa-vulkan-drivers (our window renders
# with Vulkan; under Xvfb that is the software renderer lavapipe):
#   sudo apt-get install -y xvfb x11-utils xdotool sqlitebrowser mesa-vulkan-drivers
# The binary is $ATLAS_BIN, else target/release/integration-atlas (run `cargo build --release` first).
#
# Method
# - "First frame" is measured the same way for both programs, from outside: the wall time from launching the process
#   until its top-level window is mapped (the X server's MapNotify event, read with `xev -root -event substructure`,
#   the window identified by its title with `xdotool getwindowname`).
#   eframe keeps its window hidden until the first frame has been painted, and Qt maps its main window when it is
#   shown and paints it on the expose that follows, so "visible" is the first frame for both (±1 poll interval).
# - Ours also measures itself: `--probe first-frame` prints the time from the first line of `main` to the start of
#   the frame after the first one (i.e. when the first frame has been presented), then exits.
# - Two databases for ours: a fresh one (a new path each run: created and seeded on start) and an existing one.
#   DB Browser opens the existing one. Each program gets private XDG folders (no remembered windows or settings).
# - The X server is started once, before all runs, so its start-up is not counted.
set -euo pipefail

RUNS="${1:-7}"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
BIN="${ATLAS_BIN:-$ROOT/target/release/integration-atlas}"
for tool in Xvfb xev xdotool stdbuf sqlitebrowser; do
    command -v "$tool" >/dev/null || { echo "error: $tool is missing (see the header of $0)" >&2; exit 2; }
done
[ -x "$BIN" ] || { echo "error: $BIN not found; run cargo build --release or set ATLAS_BIN" >&2; exit 2; }

# A temp folder and a private X server on a free display number.
X_READY="xdotool getdisplaygeometry"
# shellcheck source=scripts/private-x.sh
source "$ROOT/scripts/private-x.sh"
sleep 0.5

mkdir -p "$WORK/runtime" && chmod 700 "$WORK/runtime"
export XDG_RUNTIME_DIR="$WORK/runtime"
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }

# Waits until no visible window has a title matching $1.
no_window() {
    while xdotool search --onlyvisible --name "$1" >/dev/null 2>&1; do sleep 0.01; done
}

# Launches "$@" in the background; sets PID, and MS to the ms until a window titled like $TITLE is mapped. The X
# server's MapNotify events are read from one `xev` process (no polling loop taking CPU from the programs measured).
# (No subshells: the process must stay a child of this shell, so that `wait` works.)
time_to_window() {
    local title="$1" start end line id name xev
    shift
    no_window "$title"
    rm -f "$WORK/xev"
    mkfifo "$WORK/xev"
    stdbuf -oL xev -root -event substructure >"$WORK/xev" 2>/dev/null &
    xev=$!
    exec 3<"$WORK/xev"
    sleep 0.2 # let xev select the root window's events
    start=$(now_ms)
    "$@" >"$WORK/out" 2>"$WORK/err" &
    PID=$!
    end=""
    while [ -z "$end" ]; do
        if ! IFS= read -r -t 1 line <&3; then
            if ! kill -0 "$PID" 2>/dev/null; then
                echo "error: $1 exited before showing a window:" >&2
                cat "$WORK/err" >&2
                exit 1
            fi
            continue
        fi
        case "$line" in
        MapNotify*)
            now=$(now_ms)
            IFS= read -r line <&3 # "    event 0x…, window 0x…, override NO"
            id="${line##*window }"
            id="${id%%,*}"
            name=$(xdotool getwindowname "$id" 2>/dev/null || true)
            [[ "$name" == *"$title"* ]] && end=$now
            ;;
        esac
    done
    exec 3<&-
    kill "$xev" 2>/dev/null || true
    wait "$xev" 2>/dev/null || true
    MS=$((end - start))
}

# Ours: time to window, then wait for the probe to exit and read its own number; sets RESULT="window self".
ours() {
    local db="$1" state="$2" self
    XDG_DATA_HOME="$state/data" XDG_CONFIG_HOME="$state/config" \
        time_to_window "Integration Atlas" "$BIN" --db "$db" --probe first-frame
    wait "$PID" || { echo "error: $BIN failed:" >&2; cat "$WORK/err" >&2; exit 1; }
    self=$(sed -n 's/^first-frame: \([0-9.]*\) ms.*/\1/p' "$WORK/out")
    RESULT="$MS ${self:-NA}"
}

# DB Browser for SQLite: time to window, then close it; sets RESULT.
theirs() {
    local db="$1" state="$2"
    XDG_DATA_HOME="$state/data" XDG_CONFIG_HOME="$state/config" HOME="$state/home" \
        time_to_window "DB Browser for SQLite" sqlitebrowser "$db"
    kill "$PID" 2>/dev/null || true
    wait "$PID" 2>/dev/null || true
    RESULT="$MS"
}

median() { sort -n | awk '{a[NR]=$1} END {if (NR == 0) print "NA"; else if (NR % 2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'; }

EXISTING="$WORK/existing.sqlite"
mkdir -p "$WORK/state-ours" "$WORK/state-theirs/home"
"$BIN" --db "$EXISTING" stats >/dev/null     # create and seed it once

: >"$WORK/fresh.txt"; : >"$WORK/existing.txt"; : >"$WORK/theirs.txt"
for i in $(seq 0 "$RUNS"); do
    ours "$WORK/fresh-$i.sqlite" "$WORK/state-ours"
    fresh="$RESULT"
    ours "$EXISTING" "$WORK/state-ours"
    existing="$RESULT"
    theirs "$EXISTING" "$WORK/state-theirs"
    db4s="$RESULT"
    if [ "$i" -eq 0 ]; then
        echo "warm-up run (not counted): ours fresh $fresh, ours existing $existing, DB Browser $db4s (ms)"
        continue
    fi
    echo "run $i: ours fresh db ${fresh% *} ms (self ${fresh#* } ms), ours existing db ${existing% *} ms (self ${existing#* } ms), DB Browser ${db4s} ms"
    echo "$fresh" >>"$WORK/fresh.txt"; echo "$existing" >>"$WORK/existing.txt"; echo "$db4s" >>"$WORK/theirs.txt"
done

f_win=$(cut -d' ' -f1 "$WORK/fresh.txt" | median); f_self=$(cut -d' ' -f2 "$WORK/fresh.txt" | median)
e_win=$(cut -d' ' -f1 "$WORK/existing.txt" | median); e_self=$(cut -d' ' -f2 "$WORK/existing.txt" | median)
t_win=$(median <"$WORK/theirs.txt")
echo
echo "medians of $RUNS runs, launch to visible window ($(nproc) cores; sqlitebrowser $(dpkg-query -W -f='${Version}' sqlitebrowser 2>/dev/null || echo '?')):"
echo "  Integration Atlas, fresh database:    ${f_win} ms (self-reported first frame ${f_self} ms)"
echo "  Integration Atlas, existing database: ${e_win} ms (self-reported first frame ${e_self} ms)"
echo "  DB Browser for SQLite, same database: ${t_win} ms"
awk -v o="$e_win" -v f="$f_win" -v t="$t_win" 'BEGIN {
    printf "  ratio ours/DB Browser: existing %.2f, fresh %.2f (target: at most 0.50)\n", o / t, f / t }'
