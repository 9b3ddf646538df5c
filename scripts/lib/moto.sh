# Sourced by scripts/test and scripts/bench: starts the pinned moto server on a free 127.0.0.1
# port, waits until it answers, exports SILO_TEST_MOTO_ENDPOINT and stops it on every exit path.
# Usage: start_moto LOGFILE

start_moto() {
  local log=$1
  local moto_server port
  moto_server=$("$root/scripts/moto-venv")
  port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
  # MOTO_ECS_SERVICE_RUNNING: moto otherwise reports 0 running tasks for every service.
  # MOTO_EC2_LOAD_DEFAULT_AMIS=false: moto otherwise loads its AMI catalogue into every account's
  # EC2 backend on its first call (0.05-0.2 s of server time each; silo never reads AMIs), which
  # makes the 200-tenant fault test's VPN reads time out on moto, not on silo.
  MOTO_ECS_SERVICE_RUNNING=2 MOTO_EC2_LOAD_DEFAULT_AMIS=false "$moto_server" -H 127.0.0.1 -p "$port" >"$log" 2>&1 &
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
  # moto loads its EC2 backend on the first EC2 call (about a second, holding the server): do it
  # now, so the fleet tests' 1 s timeouts measure silo, not moto's start-up.
  python3 - "$SILO_TEST_MOTO_ENDPOINT" <<'PY'
import sys, urllib.request
auth = "AWS4-HMAC-SHA256 Credential=AKIAWARMUP/20260101/us-east-1/ec2/aws4_request, SignedHeaders=host, Signature=0"
request = urllib.request.Request(
    sys.argv[1] + "/",
    data=b"Action=DescribeVpnConnections&Version=2016-11-15",
    headers={"Content-Type": "application/x-www-form-urlencoded", "Authorization": auth},
)
urllib.request.urlopen(request, timeout=60).read()
PY
}

stop_moto() {
  kill "$moto_pid" 2>/dev/null || true
  wait "$moto_pid" 2>/dev/null || true
}
