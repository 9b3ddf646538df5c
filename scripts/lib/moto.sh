# Sourced by scripts/test and scripts/bench: starts the pinned moto server on a free 127.0.0.1
# port, waits until it answers, exports SILO_TEST_MOTO_ENDPOINT and stops it on every exit path.
# Usage: start_moto LOGFILE; then, for the tests, start_model_check DIR (every request checked
# against the AWS models on its way to moto) and model_check_verdict after them.

start_moto() {
  local log=$1
  local moto_server port
  moto_server=$("$root/scripts/moto-venv")
  port=$(free_port)
  # MOTO_ECS_SERVICE_RUNNING: moto otherwise reports 0 running tasks for every service.
  MOTO_ECS_SERVICE_RUNNING=2 "$moto_server" -H 127.0.0.1 -p "$port" >"$log" 2>&1 &
  moto_pid=$!
  trap stop_moto EXIT
  trap 'exit 130' INT TERM
  SILO_TEST_MOTO_ENDPOINT="http://127.0.0.1:$port"
  export SILO_TEST_MOTO_ENDPOINT
  wait_for_moto "$SILO_TEST_MOTO_ENDPOINT" "$log"
}

# Waits until the moto server at URL answers (30 s at most; its log named when it does not).
wait_for_moto() {
  python3 - "$1" "$2" <<'PY'
import sys, time, urllib.request
for _ in range(150):
    try:
        urllib.request.urlopen(sys.argv[1] + "/moto-api/", timeout=1)
        sys.exit(0)
    except Exception:
        time.sleep(0.2)
sys.exit(f"moto_server at {sys.argv[1]} did not become ready within 30 s (see {sys.argv[2]})")
PY
}

# A free TCP port on 127.0.0.1.
free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

stop_moto() {
  kill "$moto_pid" 2>/dev/null || true
  wait "$moto_pid" 2>/dev/null || true
  for pid in "${iam_moto_pid:-}" "${iam_check_pid:-}"; do
    [[ -n "$pid" ]] || continue
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  if [[ -n "${model_check_pid:-}" ]]; then
    kill "$model_check_pid" 2>/dev/null || true
    wait "$model_check_pid" 2>/dev/null || true
  fi
}

# Puts the contract check (scripts/lib/model_check.py, botocore's models) between the tests and
# moto: SILO_TEST_MOTO_ENDPOINT then names the proxy. DIR gets model-check-violations.txt and
# model-check-operations.txt.
start_model_check() {
  local dir=$1 python port_file
  python="$(dirname "$("$root/scripts/moto-venv")")/python"
  port_file="$dir/model-check.port"
  model_check_violations="$dir/model-check-violations.txt"
  model_check_operations="$dir/model-check-operations.txt"
  rm -f "$port_file"
  SILO_TEST_MOTO_UNCHECKED=$SILO_TEST_MOTO_ENDPOINT
  export SILO_TEST_MOTO_UNCHECKED
  "$python" "$root/scripts/lib/model_check.py" "$port_file" "$SILO_TEST_MOTO_ENDPOINT" \
    "$model_check_violations" "$model_check_operations" >"$dir/model-check.log" 2>&1 &
  model_check_pid=$!
  for _ in $(seq 150); do
    [[ -s "$port_file" ]] && break
    sleep 0.2
  done
  [[ -s "$port_file" ]] || { echo "the model check proxy did not start (see $dir/model-check.log)" >&2; return 1; }
  SILO_TEST_MOTO_ENDPOINT="http://127.0.0.1:$(cat "$port_file")"
  # tests/model_check.rs asks the same models through the same script.
  SILO_MODEL_PYTHON="$python"
  export SILO_TEST_MOTO_ENDPOINT SILO_MODEL_PYTHON
}

# Fails when any request of the run broke its service's model, even one whose test expected an error.
model_check_verdict() {
  if [[ -s "$model_check_violations" ]]; then
    echo "model check: requests AWS would refuse (scripts/lib/model_check.py):" >&2
    sort "$model_check_violations" | uniq -c >&2
    return 1
  fi
  echo "model check: every request matched its service's model ($(wc -l <"$model_check_operations") operations seen)" >&2
}

# A second moto server for tests/moto_iam.rs alone: that test enforces IAM on it
# (/moto-api/reset-auth), which is global to a server. Behind a model check of its own (after
# start_model_check: the same violation and operation files; the check forwards the Host header,
# so moto's signature check still holds). Exports SILO_TEST_MOTO_IAM.
start_iam_moto() {
  local log=$1 moto_server port port_file python
  moto_server=$("$root/scripts/moto-venv")
  port=$(free_port)
  MOTO_ECS_SERVICE_RUNNING=2 "$moto_server" -H 127.0.0.1 -p "$port" >"$log" 2>&1 &
  iam_moto_pid=$!
  SILO_TEST_MOTO_IAM="http://127.0.0.1:$port"
  export SILO_TEST_MOTO_IAM
  wait_for_moto "$SILO_TEST_MOTO_IAM" "$log"
  python="$(dirname "$moto_server")/python"
  port_file="$root/target/model-check-iam.port"
  rm -f "$port_file"
  "$python" "$root/scripts/lib/model_check.py" "$port_file" "$SILO_TEST_MOTO_IAM" --append \
    "$model_check_violations" "$model_check_operations" >"$root/target/model-check-iam.log" 2>&1 &
  iam_check_pid=$!
  for _ in $(seq 150); do
    [[ -s "$port_file" ]] && break
    sleep 0.2
  done
  [[ -s "$port_file" ]] || { echo "the IAM model check did not start (see target/model-check-iam.log)" >&2; return 1; }
  SILO_TEST_MOTO_IAM="http://127.0.0.1:$(cat "$port_file")"
}
