# Sourced by the bench scripts: starting the simulator and reading the address a
# program logs. Needs SIM (the simulator binary), TMP (a scratch folder) and a PIDS
# array, whose processes the script's EXIT trap kills.

# listen_address LOG PREFIX: the host:port after PREFIX in LOG ("scheme=http address=",
# "msg=listening address="), waiting up to 5 s for it; empty if it never came.
listen_address() {
  local addr=""
  for _ in $(seq 1 100); do
    addr=$(sed -n "s/.*$2\([0-9.:]*\).*/\1/p" "$1" | head -1)
    [ -n "$addr" ] && break
    sleep 0.05
  done
  echo "$addr"
}

# start_sim NAME [simulator options...]: a simulator on a free port, logging to
# $TMP/NAME.log; sets SIM_ADDR and SIM_PID.
start_sim() {
  local log=$TMP/$1.log
  shift
  "$SIM" --listen 127.0.0.1:0 "$@" >"$log" 2>&1 &
  SIM_PID=$!
  PIDS+=("$SIM_PID")
  SIM_ADDR=$(listen_address "$log" "scheme=http address=")
}
