#!/usr/bin/env bash
# Debian packages the tests use beyond the JDK and Maven: real network tools for the probe-lab tests
# (network namespaces), and Chromium to check that the HTML report renders. Idempotent; needs root.
set -euo pipefail
pkgs="iproute2 iputils-ping iputils-tracepath dnsutils curl netcat-openbsd socat nginx-light dnsmasq-base iptables iperf3 busybox chromium"
missing=""
for p in $pkgs; do dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"; done
[ -z "$missing" ] && { echo "deps: all present"; exit 0; }
[ "$(id -u)" = 0 ] || { echo "deps: missing$missing — run as root (or install them yourself)"; exit 1; }
echo "deps: installing$missing"
# nginx-light's postinst would start a system nginx; the tests start their own inside namespaces
printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d; chmod +x /usr/sbin/policy-rc.d
trap 'rm -f /usr/sbin/policy-rc.d' EXIT
apt-get update -q >/dev/null
DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $missing >/dev/null
echo "deps: done"
