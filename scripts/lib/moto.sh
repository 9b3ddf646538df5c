# Sourced by scripts/test and scripts/bench: starts the pinned moto server on a free 127.0.0.1
# port, waits until it answers, exports SILO_TEST_MOTO_ENDPOINT and stops it on every exit path.
# Usage: start_moto LOGFILE

start_moto() {
  local log=$1
  local moto_server port
  moto_server=$("$root/scripts/moto-venv")
  port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
  # MOTO_ECS_SERVICE_RUNNING: moto otherwise reports 0 running tasks for every service.
  MOTO_ECS_SERVICE_RUNNING=2 "$moto_server" -H 127.0.0.1 -p "$port" >"$log" 2>&1 &
  moto_pid=$!
  trap stop_moto EXIT
  trap 'exit 130' INT TERM
  SILO_TEST_MOTO_ENDPOINT="http://127.0.0.1:$port"
  export SILO_TEST_MOTO_ENDPOINT
  python3 - "$SILO_TEST_MOTO_ENDPOINT" "$log" <<'PY'
import sys, time, urllib.request
for _ in range(150):
    try:
        urllib.request.urlopen(sys.argv[1] + "/moto-api/", timeout=1)
        sys.exit(0)
    except Exception:
        time.sleep(0.2)
sys.exit(f"moto_server did not become ready within 30 s (see {sys.argv[2]})")
PY
}

stop_moto() {
  kill "$moto_pid" 2>/dev/null || true
  wait "$moto_pid" 2>/dev/null || true
}
