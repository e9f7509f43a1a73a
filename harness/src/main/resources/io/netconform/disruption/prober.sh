# netconform watch prober, the FALLBACK for pods without perl: prober.pl does the same in one process and is what
# Watch.proberCommand runs wherever perl is (this script forks socat/ping/dig/curl and a subshell per sample, which
# loaded a 2-node lab to ~100 on a quiet watch). Both write the protocol below, line for line the same.
#
# Runs as a probe pod's command and writes one line per sample to stdout, which the
# harness follows with ONE log stream per pod (never an exec per sample: that would measure the API server).
# Timestamps are taken here, in the pod (bash's $EPOCHREALTIME, microseconds, no fork), so API latency and a
# lost log stream never change an outage's length.
#
# usage: bash -c "$(cat prober.sh)" prober INTERVAL_US TIMEOUT_S  ID CHECK HOST PORT  [ID CHECK HOST PORT]...
# output (space separated, one write per line, so concurrent writers never interleave):
#   ncw start T0_US INTERVAL_US TIMEOUT_S        once; sample SEQ is due at T0_US + SEQ * INTERVAL_US
#   ncw s ID SEQ START_US RC LATENCY_US DETAIL   one sample; RC and DETAIL are the tool's, classified by the harness
#   ncw e ID NOW_US EVENT DETAIL                 a long-lived connection opened or closed
#   ncw h NOW_US                                 heartbeat, every second: the pod's clock moves on
set -u
I=$1 T=$2
shift 2
exec {SLEEP_FD}<> <(:)      # a pipe nobody writes: `read -t` on it is a sleep without a fork
now() { NOW=${EPOCHREALTIME/./}; }
nap_until() {
  now
  local d=$(( $1 - NOW )) frac
  (( d > 0 )) || return 0
  printf -v frac %06d $(( d % 1000000 ))
  read -t "$(( d / 1000000 )).$frac" -u "$SLEEP_FD" || true
}
one_line() { local text=${1//$'\n'/ }; printf '%s' "${text:0:300}"; }

probe_icmp() { ping -n -c 1 -W "$T" "$1" 2>&1; }
probe_tcp() { socat -T "$T" /dev/null "TCP:$1:$2,connect-timeout=$T" 2>&1; }
probe_udp() {
  local reply
  reply=$(printf 'ncw\n' | socat -T "$T" - "UDP:$1:$2" 2>&1) || { echo "$reply"; return 1; }
  [[ $reply == ncw ]] && echo "echo ok" || { echo "no echo: ${reply:-nothing within ${T}s}"; return 1; }
}
probe_http() { curl -sS -o /dev/null -m "$T" -w 'http %{http_code}' "http://$1:$2/" 2>&1; }
probe_dns() { dig +search +tries=1 +time="$T" +noall +comments +answer "$1" A 2>&1; }

sample() {  # ID CHECK HOST PORT SEQ; the start is taken here, after the fork, as close to the probe as bash gets
  local out rc start
  now; start=$NOW
  out=$("probe_$2" "$3" "$4"); rc=$?
  now
  echo "ncw s $1 $5 $start $rc $(( NOW - start )) $(one_line "$out")"
}

# a new connection (or ICMP echo, UDP exchange, lookup) per due time; a probe that overruns the interval runs
# beside the next one, so a 1 s timeout never stretches the 200 ms grid. Due times the pod could not keep
# (CPU starvation) are skipped, not faked: the harness reports them as "not sampled", never as an outage.
# At most MAX_IN_FLIGHT samples of one target run at once (a timeout's worth, plus two): on a starved node more
# would only pile up processes and starve it further, so a due time that finds them all busy is skipped as well.
MAX_IN_FLIGHT=$(( T * 1000000 / I + 2 ))
new_loop() {  # ID CHECK HOST PORT
  local seq=0 pids=() alive p
  while :; do
    nap_until $(( T0 + seq * I ))
    now
    if (( NOW - (T0 + seq * I) > I )); then seq=$(( (NOW - T0) / I + 1 )); continue; fi
    alive=()
    for p in "${pids[@]}"; do kill -0 "$p" 2>/dev/null && alive+=("$p"); done
    pids=("${alive[@]}")
    if (( ${#pids[@]} < MAX_IN_FLIGHT )); then
      sample "$1" "$2" "$3" "$4" "$seq" &
      pids+=($!)
    fi
    seq=$(( seq + 1 ))
  done
}

# one long-lived TCP connection (or one UDP flow: the same socket, so the same 5-tuple and conntrack entry) to an
# echo server: the writer sends "SEQ SENT_US" at every due time, the reader prints each echo. An echo that comes
# late is a stall, one that never comes (reset, closed) is an outage of reused connections; the harness judges
# both from SEQ and the latency. On close it reconnects.
reused_loop() {  # ID HOST PORT tcp|udp
  local seq a b rest why wpid cpid address="TCP:$2:$3,connect-timeout=$T"
  [[ $4 == udp ]] && address="UDP:$2:$3"
  while :; do
    # the coproc outlives socat (a builtin read loop drains our writes: the image may lack cat): bash unsets ECHO
    # when it reaps the coproc, and a refused connect used to end it before the next line could take its pipes
    # ("ECHO[0]: unbound variable", seen in ProberLocalTest); the marker line ends the read loop instead of EOF
    coproc ECHO { socat - "$address" 2>&1; echo ncw-socat-exit; while read -r _; do :; done; }
    cpid=$ECHO_PID
    exec {IN}<&"${ECHO[0]}" {OUT}>&"${ECHO[1]}"
    now
    seq=$(( (NOW - T0) / I + 1 )); (( seq >= 0 )) || seq=0
    echo "ncw e $1 $NOW open first-seq=$seq"
    ( while :; do nap_until $(( T0 + seq * I )); now; echo "$seq $NOW" >&"$OUT" || exit 0; seq=$(( seq + 1 )); done ) &
    wpid=$!
    why=eof
    while IFS=' ' read -r -u "$IN" a b rest; do
      [[ $a == ncw-socat-exit ]] && break
      if [[ $a =~ ^[0-9]+$ && $b =~ ^[0-9]+$ ]]; then
        now
        echo "ncw s $1 $a $b 0 $(( NOW - b )) echo"
      else
        why=$(one_line "$a $b $rest")
      fi
    done
    # socat is gone by now; its coproc is only draining (the shell keeps a copy of the pipe, so no EOF would end it)
    kill "$wpid" "$cpid" 2>/dev/null
    exec {IN}<&- {OUT}>&-
    wait "$wpid" "$cpid" 2>/dev/null
    now
    echo "ncw e $1 $NOW closed $why"
    nap_until $(( NOW + I ))
  done
}

trap 'kill 0; exit 0' TERM INT
now
T0=$(( (NOW / I + 2) * I ))
echo "ncw start $T0 $I $T"
while (( $# >= 4 )); do
  case $2 in
    tcp-reused) reused_loop "$1" "$3" "$4" tcp & ;;
    udp-reused) reused_loop "$1" "$3" "$4" udp & ;;
    *) new_loop "$1" "$2" "$3" "$4" & ;;
  esac
  shift 4
done
while :; do now; echo "ncw h $NOW"; nap_until $(( NOW + 1000000 )); done
