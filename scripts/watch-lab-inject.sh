#!/usr/bin/env bash
# Injects outages of known length into the lab (../shared/lab) while `netconform watch` measures them; run as the
# watch's wrapped command (`netconform watch … -- bash scripts/watch-lab-inject.sh OUT route dns kube-proxy`).
# Each injection holds the lab's exclusive lock (the lab is shared) and restores what it changed even when killed.
# OUT gets one line per injection: `injected KIND START END` (epoch seconds, this machine's clock = the pods' clock).
#   route       n1's route to n2's pod CIDR becomes `unreachable` for ROUTE_S (5) s: cross-node traffic from n1 (its
#               pods' and its own) is refused with host-unreachable. Deleting the route is not enough: n1's default route
#               through the lab's bridge also leads to n2's pods, and pod traffic took that way round unharmed.
#   dns         UDP 53 is dropped in the control-plane netns (the lab's DNS server) for DNS_S (3) s
#   kube-proxy  n1's kube-proxy is stopped and started again with the same command line (no outage expected:
#               iptables-mode rules stay in place while it is down)
#   quiet       nothing for QUIET_S (30) s
set -euo pipefail
out=$1; shift
LOCK=${K8SLAB_DISRUPT_LOCK:-/tmp/k8slab-disrupt.lock}
WARMUP_S=${WARMUP_S:-15} GAP_S=${GAP_S:-10} ROUTE_S=${ROUTE_S:-5} DNS_S=${DNS_S:-3} QUIET_S=${QUIET_S:-30}
K8SLAB_HOME=${K8SLAB_HOME:-$HOME/.cache/k8slab}
now() { date +%s.%N; }
say() { echo "[inject $(date -u +%T.%3N)] $*"; }

route() {
  local cidr=10.244.1.0/24 route
  route=$(ip -n k8slab-n1 route show "$cidr")
  [ -n "$route" ] || { echo "k8slab-n1 has no route to $cidr: is the lab up?" >&2; return 2; }
  flock -o -x "$LOCK" bash -c '
    set -eu
    trap "ip -n k8slab-n1 route replace $1" EXIT
    s=$(date +%s.%N); ip -n k8slab-n1 route replace unreachable '"$cidr"'
    sleep "$2"
    ip -n k8slab-n1 route replace $1; e=$(date +%s.%N)
    echo "injected route $s $e" >> "$3"' inject "$route" "$ROUTE_S" "$out"
  say "route $cidr on n1 unreachable for ${ROUTE_S}s and restored: $route"
}

dns() {
  local rule=(INPUT -p udp --dport 53 -m comment --comment netconform-watch-lab -j DROP)
  flock -o -x "$LOCK" bash -c '
    set -eu
    rule="$1"
    trap "ip netns exec k8slab-cp iptables -D $rule 2>/dev/null || true" EXIT
    s=$(date +%s.%N); ip netns exec k8slab-cp iptables -I $rule
    sleep "$2"
    ip netns exec k8slab-cp iptables -D $rule; e=$(date +%s.%N)
    echo "injected dns $s $e" >> "$3"' inject "${rule[*]}" "$DNS_S" "$out"
  say "UDP 53 dropped in k8slab-cp for ${DNS_S}s"
}

kube_proxy() {
  local D=$K8SLAB_HOME/k8s/n1 pid kubelet
  pid=$(cat "$D/kube-proxy.pid"); kubelet=$(cat "$D/kubelet.pid")
  flock -o -x "$LOCK" bash -c '
    set -eu
    D=$1 pid=$2 kubelet=$3 out=$4
    mapfile -d "" cmd < /proc/$pid/cmdline
    cgroups=$(awk -F: "\$2 != \"\" {print \$2\":\"\$3}" /proc/$pid/cgroup)
    s=$(date +%s.%N)
    kill "$pid"; while kill -0 "$pid" 2>/dev/null; do sleep 0.05; done
    # the same network and mount namespace as the node, the same cgroups, the same log and pid file
    nsenter --net=/proc/$kubelet/ns/net --mount=/proc/$kubelet/ns/mnt "${cmd[@]}" >> "$D/kube-proxy.log" 2>&1 &
    new=$!
    echo $new > "$D/kube-proxy.pid"
    for c in $cgroups; do dir=/sys/fs/cgroup/${c%%:*}${c#*:}; [ -d "$dir" ] && echo $new > "$dir/cgroup.procs" 2>/dev/null || true; done
    for i in $(seq 300); do ip netns exec k8slab-n1 ss -Hltn "sport = :10256" | grep -q . && break; sleep 0.1; done
    e=$(date +%s.%N)
    echo "injected kube-proxy $s $e" >> "$out"' inject "$D" "$pid" "$kubelet" "$out"
  say "kube-proxy on n1 restarted (was pid $pid, now $(cat "$D/kube-proxy.pid"))"
}

say "warm-up ${WARMUP_S}s"
sleep "$WARMUP_S"
for kind in "$@"; do
  case $kind in
    route) route ;;
    dns) dns ;;
    kube-proxy) kube_proxy ;;
    quiet) s=$(now); sleep "$QUIET_S"; echo "injected quiet $s $(now)" >> "$out"; say "quiet ${QUIET_S}s" ;;
    *) echo "unknown injection '$kind': route, dns, kube-proxy or quiet" >&2; exit 2 ;;
  esac
  sleep "$GAP_S"
done
