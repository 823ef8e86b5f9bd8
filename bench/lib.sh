# Sourced by the bench scripts: starting the simulator and exporters and reading the address a
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

# start_exporter NAME BINARY CONFIG [exporter flags...]: an exporter on a free port,
# logging to $TMP/NAME.log; sets ADDR_NAME and PID_NAME.
start_exporter() {
  local name=$1 binary=$2 config=$3
  shift 3
  "$binary" --config.file "$config" --web.listen-address 127.0.0.1:0 "$@" >"$TMP/$name.log" 2>&1 &
  PIDS+=($!)
  printf -v "PID_$name" '%s' $!
  printf -v "ADDR_$name" '%s' "$(listen_address "$TMP/$name.log" "msg=listening address=")"
}
