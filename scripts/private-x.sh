# Sourced by the measuring scripts: a temp folder $WORK (removed on exit) and a private X server (Xvfb, 1920×1080)
# on a free display number, exported as $DISPLAY. The caller checks that Xvfb and `$X_READY` (a command that
# succeeds once the server answers) are installed.
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
for _ in $(seq 1 200); do $X_READY >/dev/null 2>&1 && break; sleep 0.02; done
$X_READY >/dev/null 2>&1 || { echo "error: Xvfb did not start:" >&2; cat "$WORK/xvfb.log" >&2; exit 1; }
