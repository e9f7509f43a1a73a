# netconform watch prober, the whole of it in ONE perl process: every target's samples are non-blocking sockets
# in one select() loop, never a process per sample. prober.sh forked socat/ping/dig/curl plus a subshell for every
# sample of every path, 5 times a second: on the 2-node lab a quiet watch drove the load to ~100, and a starved
# node measures its own starvation, not the network. prober.sh stays as the fallback where a pod has no perl.
# Core modules only (Debian's perl-base is Essential; netshoot ships full perl). Loaded by PerlScript: every
# statement ends with ';' or a brace, comments stand on lines of their own.
#
# usage: perl -e "$PROBER_PL" INTERVAL_US TIMEOUT_S  ID CHECK HOST PORT  [ID CHECK HOST PORT]...
# output, exactly prober.sh's (see ProberLine), one print per line:
#   ncw start T0_US INTERVAL_US TIMEOUT_S        once; sample SEQ is due at T0_US + SEQ * INTERVAL_US
#   ncw s ID SEQ START_US RC LATENCY_US DETAIL   one sample; RC and DETAIL as the tool prober.sh ran would say
#   ncw e ID NOW_US EVENT DETAIL                 a long-lived connection opened or closed
#   ncw h NOW_US                                 heartbeat, every second: the pod's clock moves on
# RC and DETAIL keep the words ProberLine.classify reads: tcp/udp/icmp 0 or 1 and the strerror text; http curl's
# codes (7 connect failure, 28 timeout, 52 empty reply, 56 receive failure); dns dig's header ("status: NOERROR",
# "ANSWER: 1") or ";; connection timed out; no servers could be reached".
use strict;
use Socket qw(inet_pton inet_ntop pack_sockaddr_in pack_sockaddr_in6 unpack_sockaddr_in unpack_sockaddr_in6 AF_INET AF_INET6 SOCK_STREAM SOCK_DGRAM SOCK_RAW SOL_SOCKET SO_ERROR);
use Errno qw(EINPROGRESS EAGAIN EWOULDBLOCK EINTR);
use Fcntl qw(F_GETFL F_SETFL O_NONBLOCK);
$| = 1;
$SIG{PIPE} = 'IGNORE';

# The clock: microseconds since the epoch, the pod's clock, as prober.sh's $EPOCHREALTIME. Time::HiRes gives it, but
# Time::HiRes is not in perl-base, and time() alone counts whole seconds. Without it: /proc/uptime (10 ms steps,
# never stepped by NTP) plus an offset to the epoch taken at the moment time() ticks to a new second, so the offset
# is right to ~10 ms instead of anywhere within a second. That costs up to 1 s once, at start.
my $HIRES = eval { require Time::HiRes; 1 };
my $OFFSET_US = 0;
sub uptime_us {
  open(my $f, '<', '/proc/uptime') or die "prober: no Time::HiRes and no /proc/uptime: $!\n";
  my ($s, $c) = <$f> =~ /^(\d+)\.(\d+)/;
  close $f;
  return $s * 1000000 + substr($c . '000000', 0, 6);
}
sub now_us {
  if ($HIRES) { my ($s, $u) = Time::HiRes::gettimeofday(); return $s * 1000000 + $u; }
  return uptime_us() + $OFFSET_US;
}
if (!$HIRES) {
  my $t = time;
  select(undef, undef, undef, 0.002) while time == $t;
  $OFFSET_US = time * 1000000 - uptime_us();
}

my ($I, $T, @args) = @ARGV;
die "usage: prober INTERVAL_US TIMEOUT_S ID CHECK HOST PORT...\n"
  unless defined $T && $I =~ /^\d+$/ && $I > 0 && $T =~ /^\d+$/ && $T > 0;
my $TU = $T * 1000000;
# At most a timeout's worth of samples of one target in flight, plus two (as prober.sh): a due time that finds
# them all busy is skipped, reported by the harness as "not sampled".
my $MAX_IN_FLIGHT = int($TU / $I) + 2;
my $start_now = now_us();
my $T0 = (int($start_now / $I) + 2) * $I;
print "ncw start $T0 $I $T\n";

sub floor_div { my ($x, $y) = @_; my $q = int($x / $y); $q-- if $q * $y > $x; return $q; }
sub nonblocking { my $s = shift; fcntl($s, F_SETFL, fcntl($s, F_GETFL, 0) | O_NONBLOCK); }
sub again { return $! == EAGAIN || $! == EWOULDBLOCK || $! == EINTR; }
sub sockaddr_of {
  my ($host, $port) = @_;
  my $fam = $host =~ /:/ ? AF_INET6 : AF_INET;
  my $a = inet_pton($fam, $host);
  return () unless $a;
  return ($fam, $fam == AF_INET6 ? pack_sockaddr_in6($port, $a) : pack_sockaddr_in($port, $a), $a);
}
sub so_error {
  my $s = shift;
  my $e = unpack('i', getsockopt($s, SOL_SOCKET, SO_ERROR));
  return '' unless $e;
  local $! = $e;
  return "$!";
}
sub one_line { my $t = shift; $t =~ s/[\r\n]+/ /g; $t =~ s/\s+$//; return substr($t, 0, 300); }

# Everything the loop waits on is a "watcher": a sample in flight (its socket, or none: an ICMP echo waits on the
# shared raw socket), a long-lived connection, a raw ICMP socket. fh and want ('r', 'w', 'rw') put it in select();
# ready runs when select says so; expire runs once the clock passes until.
my @WATCH;
my %PING;
sub finish {
  my ($p, $rc, $detail) = @_;
  return if $p->{done};
  $p->{done} = 1;
  $p->{target}{in_flight}--;
  delete $PING{$p->{icmp}} if $p->{icmp};
  close($p->{fh}) if $p->{fh};
  $p->{fh} = undef;
  my $now = now_us();
  print "ncw s $p->{target}{id} $p->{seq} $p->{start} $rc ", $now - $p->{start}, ' ', one_line($detail), "\n";
}

sub tcp_connect {
  my ($p, $host, $port, $ok, $fail) = @_;
  my ($fam, $sa) = sockaddr_of($host, $port);
  return $fail->("bad address $host") unless $fam;
  my $s;
  return $fail->("socket: $!") unless socket($s, $fam, SOCK_STREAM, 0);
  nonblocking($s);
  $p->{fh} = $s;
  return $ok->() if connect($s, $sa);
  return $fail->("$!") unless $! == EINPROGRESS;
  $p->{want} = 'w';
  $p->{ready} = sub {
    my $e = so_error($s);
    return $fail->($e) if $e;
    return unless getpeername($s);
    $ok->();
  };
}

sub start_tcp {
  my $p = shift;
  $p->{expire} = sub { finish($p, 1, "connect: Connection timed out (no answer within ${T}s)"); };
  tcp_connect($p, $p->{target}{host}, $p->{target}{port}, sub { finish($p, 0, 'connected'); }, sub { finish($p, 1, "connect: $_[0]"); });
}

sub start_udp {
  my $p = shift;
  my ($fam, $sa) = sockaddr_of($p->{target}{host}, $p->{target}{port});
  return finish($p, 1, "bad address $p->{target}{host}") unless $fam;
  my $s;
  return finish($p, 1, "socket: $!") unless socket($s, $fam, SOCK_DGRAM, 0);
  nonblocking($s);
  $p->{fh} = $s;
  # a connected UDP socket hears of ICMP port unreachable: the next recv fails with ECONNREFUSED
  return finish($p, 1, "connect: $!") unless connect($s, $sa);
  return finish($p, 1, "send: $!") unless defined send($s, "ncw\n", 0);
  $p->{want} = 'r';
  $p->{ready} = sub {
    my $buf = '';
    if (!defined recv($s, $buf, 4096, 0)) { return if again(); return finish($p, 1, "read: $!"); }
    return finish($p, 0, 'echo ok') if $buf eq "ncw\n" || $buf eq 'ncw';
    finish($p, 1, "no echo: $buf");
  };
  $p->{expire} = sub { finish($p, 1, "no echo: nothing within ${T}s"); };
}

sub start_http {
  my $p = shift;
  my $t = $p->{target};
  my $req = "GET / HTTP/1.0\r\nHost: $t->{host}\r\nUser-Agent: netconform-prober\r\nAccept: */*\r\n\r\n";
  my $buf = '';
  $p->{expire} = sub { finish($p, 28, "Operation timed out after ${T}000 milliseconds with " . length($buf) . " bytes received"); };
  my $sent = sub {
    return finish($p, 55, "Failed sending HTTP request: $!") unless defined send($p->{fh}, $req, 0);
    $p->{want} = 'r';
    $p->{ready} = sub {
      my $n = sysread($p->{fh}, $buf, 4096, length $buf);
      if (!defined $n) { return if again(); return finish($p, 56, "Recv failure: $!"); }
      my $line;
      if ($buf =~ /^([^\n]*)\n/) { $line = $1; } elsif ($n == 0 && length $buf) { $line = $buf; }
      if (defined $line) {
        return finish($p, 0, "http $1") if $line =~ m{^HTTP/\d(?:\.\d)? (\d\d\d)};
        return finish($p, 8, 'Weird server reply: ' . $line);
      }
      finish($p, 52, 'Empty reply from server') if $n == 0;
    };
  };
  tcp_connect($p, $t->{host}, $t->{port}, $sent, sub { finish($p, 7, "Failed to connect to $t->{host} port $t->{port}: $_[0]"); });
}

# dig +search: the first nameserver of /etc/resolv.conf, its search list and ndots; a name with fewer dots than
# ndots tries the search list first, then itself; an NXDOMAIN moves on to the next name; the last answer counts.
my ($NS, @SEARCH);
my $NDOTS = 1;
if (open(my $f, '<', '/etc/resolv.conf')) {
  while (my $l = <$f>) {
    $l =~ s/[#;].*//;
    my ($k, @v) = split ' ', $l;
    next unless defined $k && @v;
    if ($k eq 'nameserver') { $NS = $v[0] unless defined $NS; }
    elsif ($k eq 'search' || $k eq 'domain') { @SEARCH = @v; }
    elsif ($k eq 'options') { for (@v) { $NDOTS = $1 if /^ndots:(\d+)$/; } }
  }
  close $f;
  $NS =~ s/%.*// if defined $NS;
}
my @RCODE = qw(NOERROR FORMERR SERVFAIL NXDOMAIN NOTIMP REFUSED YXDOMAIN YXRRSET NXRRSET NOTAUTH NOTZONE);

sub start_dns {
  my $p = shift;
  return finish($p, 10, ';; no nameserver in /etc/resolv.conf') unless defined $NS;
  my $name = $p->{target}{host};
  my @names = ($name);
  if ($name !~ /\.$/) {
    my $dots = () = $name =~ /\./g;
    my @searched = map { "$name.$_" } @SEARCH;
    @names = $dots >= $NDOTS ? ($name, @searched) : (@searched, $name);
  }
  $p->{names} = \@names;
  $p->{expire} = sub { finish($p, 9, ';; connection timed out; no servers could be reached'); };
  dns_query($p);
}

sub dns_query {
  my $p = shift;
  my $name = shift @{$p->{names}};
  $name =~ s/\.$//;
  close($p->{fh}) if $p->{fh};
  $p->{fh} = undef;
  my ($fam, $sa) = sockaddr_of($NS, 53);
  return finish($p, 10, ";; bad nameserver $NS in /etc/resolv.conf") unless $fam;
  my $s;
  return finish($p, 10, ";; socket: $!") unless socket($s, $fam, SOCK_DGRAM, 0);
  nonblocking($s);
  $p->{fh} = $s;
  return finish($p, 9, ";; communications error to $NS#53: $!") unless connect($s, $sa);
  my $id = int(rand(65536));
  my $q = pack('n6', $id, 0x0100, 1, 0, 0, 0) . join('', map { chr(length $_) . $_ } split /\./, $name) . "\0" . pack('n2', 1, 1);
  return finish($p, 9, ";; communications error to $NS#53: $!") unless defined send($s, $q, 0);
  # like dig +time=T +tries=1: every query of the search has the timeout
  $p->{until} = now_us() + $TU;
  $p->{want} = 'r';
  $p->{ready} = sub {
    my $buf = '';
    if (!defined recv($s, $buf, 4096, 0)) { return if again(); return finish($p, 9, ";; communications error to $NS#53: $!"); }
    return if length($buf) < 12;
    my ($rid, $flags, $qd, $an, $au, $ad) = unpack('n6', $buf);
    return unless $rid == $id && $flags & 0x8000;
    my $rcode = $flags & 0xf;
    return dns_query($p) if $rcode == 3 && @{$p->{names}};
    my @f = grep { $flags & $_->[0] } ([0x8000, 'qr'], [0x400, 'aa'], [0x200, 'tc'], [0x100, 'rd'], [0x80, 'ra']);
    finish($p, 0, sprintf(';; ->>HEADER<<- opcode: QUERY, status: %s, id: %d ;; flags: %s; QUERY: %d, ANSWER: %d, AUTHORITY: %d, ADDITIONAL: %d ;; %s. IN A',
      $RCODE[$rcode] // "RCODE$rcode", $rid, join(' ', map { $_->[1] } @f), $qd, $an, $au, $ad, $name));
  };
}

# ICMP: one raw socket per address family for every ICMP target, echo requests built and checksummed here, replies
# (and ICMP errors quoting our request) matched by identifier and sequence. A pod without CAP_NET_RAW cannot open
# one: then, for ICMP only, `ping -c 1` per sample as prober.sh did, said once on stderr.
my $ICMP_ID = int(rand(65536));
my $ICMP_SEQ = 0;
my %ICMP_SOCK;
my $PING_FALLBACK;
sub checksum {
  my $d = shift;
  $d .= "\0" if length($d) % 2;
  my $sum = 0;
  $sum += $_ for unpack('n*', $d);
  $sum = ($sum >> 16) + ($sum & 0xffff) while $sum >> 16;
  return ~$sum & 0xffff;
}
sub icmp_socket {
  my $fam = shift;
  return $ICMP_SOCK{$fam} if exists $ICMP_SOCK{$fam};
  my $s;
  if (!socket($s, $fam, SOCK_RAW, $fam == AF_INET6 ? 58 : 1)) {
    print STDERR "prober: cannot open a raw ICMP socket ($!: no CAP_NET_RAW?); ICMP samples run ping -c 1 each\n" unless $PING_FALLBACK++;
    return $ICMP_SOCK{$fam} = undef;
  }
  nonblocking($s);
  push @WATCH, { fh => $s, want => 'r', ready => sub { icmp_read($fam, $s); } };
  return $ICMP_SOCK{$fam} = $s;
}
sub icmp_error {
  my ($fam, $type, $code) = @_;
  if ($fam == AF_INET) {
    return 'Time to live exceeded' if $type == 11;
    my @m = ('Destination Net Unreachable', 'Destination Host Unreachable', 'Destination Protocol Unreachable', 'Destination Port Unreachable', 'Frag needed', 'Source Route Failed', 'Destination Net Unknown', 'Destination Host Unknown');
    return $m[$code] // ($code == 13 ? 'Packet filtered' : "Dest Unreachable, Bad Code: $code");
  }
  return 'Time exceeded: Hop limit' if $type == 3;
  my @m = ('No route', 'Administratively prohibited', 'Beyond scope of source address', 'Address unreachable', 'Port unreachable');
  return 'Destination unreachable: ' . ($m[$code] // "Unknown code $code");
}
sub icmp_read {
  my ($fam, $s) = @_;
  my $now = now_us();
  while (1) {
    my $pkt = '';
    my $from = recv($s, $pkt, 4096, 0);
    last unless defined $from;
    my $src = $fam == AF_INET6 ? (unpack_sockaddr_in6($from))[1] : (unpack_sockaddr_in($from))[1];
    my $m = $fam == AF_INET ? substr($pkt, (ord($pkt) & 15) * 4) : $pkt;
    next if length($m) < 8;
    my ($type, $code, undef, $id, $seq) = unpack('CCnnn', $m);
    if ($type == ($fam == AF_INET ? 0 : 129)) {
      my $p = $PING{"$fam/$seq"};
      # a reply read past the sample's deadline has timed out, as for every other check
      next unless $id == $ICMP_ID && $p && $src eq $p->{addr} && $now < $p->{until};
      finish($p, 0, sprintf('%d bytes from %s: icmp_seq=%d time=%.1f ms', length($m), $p->{target}{host}, $seq, (now_us() - $p->{start}) / 1000));
    } elsif ($fam == AF_INET ? ($type == 3 || $type == 11) : ($type == 1 || $type == 3)) {
      my $in = substr($m, 8);
      next if length($in) < 28;
      my $inner = $fam == AF_INET ? substr($in, (ord($in) & 15) * 4) : substr($in, 40);
      next if length($inner) < 8;
      my ($itype, undef, undef, $iid, $iseq) = unpack('CCnnn', $inner);
      my $p = $PING{"$fam/$iseq"};
      next unless $itype == ($fam == AF_INET ? 8 : 128) && $iid == $ICMP_ID && $p && $now < $p->{until};
      finish($p, 1, 'From ' . inet_ntop($fam, $src) . " icmp_seq=$iseq " . icmp_error($fam, $type, $code) . ' --- 1 packets transmitted, 0 received, +1 errors');
    }
  }
}
sub start_icmp {
  my $p = shift;
  my ($fam, undef, $addr) = sockaddr_of($p->{target}{host}, 0);
  return finish($p, 2, "ping: $p->{target}{host}: not an IP address") unless $fam;
  my $s = icmp_socket($fam);
  return start_ping($p) unless $s;
  my $seq = $ICMP_SEQ = ($ICMP_SEQ + 1) & 0xffff;
  my $pkt = pack('CCnnn', $fam == AF_INET6 ? 128 : 8, 0, 0, $ICMP_ID, $seq) . 'netconform-prober-echo-request';
  # the kernel fills in an ICMPv6 checksum (it covers the IPv6 pseudo-header); ICMPv4's is ours
  substr($pkt, 2, 2) = pack('n', checksum($pkt)) if $fam == AF_INET;
  my $sa = $fam == AF_INET6 ? pack_sockaddr_in6(0, $addr) : pack_sockaddr_in(0, $addr);
  return finish($p, 2, "ping: sendmsg: $!") unless defined send($s, $pkt, 0, $sa);
  $p->{addr} = $addr;
  $p->{icmp} = "$fam/$seq";
  $PING{$p->{icmp}} = $p;
  $p->{expire} = sub { finish($p, 1, "icmp_seq=$seq no answer within ${T}s --- 1 packets transmitted, 0 received, 100% packet loss"); };
}
my %CHILD;
sub start_ping {
  my $p = shift;
  my $pid = open(my $out, '-|');
  return finish($p, 2, "ping: cannot fork: $!") unless defined $pid;
  if (!$pid) {
    open(STDERR, '>&', \*STDOUT);
    exec('ping', '-n', '-c', '1', '-W', $T, $p->{target}{host});
    print "ping: $!\n";
    exit 127;
  }
  nonblocking($out);
  $CHILD{$pid} = 1;
  my $text = '';
  $p->{fh} = $out;
  $p->{want} = 'r';
  $p->{until} = $p->{start} + $TU + 2000000;
  $p->{ready} = sub {
    my $n = sysread($out, $text, 4096, length $text);
    return if !defined $n && again();
    return if $n;
    close $out;
    my $rc = $? >> 8;
    delete $CHILD{$pid};
    $p->{fh} = undef;
    finish($p, $rc, $text);
  };
  $p->{expire} = sub { kill 'KILL', $pid; delete $CHILD{$pid}; finish($p, 1, "$text ping did not end: timed out"); };
}

my %START = (tcp => \&start_tcp, udp => \&start_udp, http => \&start_http, dns => \&start_dns, icmp => \&start_icmp);

# tcp-reused / udp-reused: one long-lived TCP connection (or one UDP socket: the same 5-tuple, so the same
# conntrack entry) to an echo server. At every due time "SEQ SENT_US" goes out and every echo that comes back is
# one sample; an echo that never comes is judged by the harness. On EOF, reset or error: "closed WHY", and after
# one interval a new connection ("open first-seq=N").
sub reused_closed {
  my ($r, $why) = @_;
  close($r->{fh}) if $r->{fh};
  $r->{fh} = undef;
  $r->{want} = '';
  $r->{until} = undef;
  $r->{open} = 0;
  my $now = now_us();
  print "ncw e $r->{id} $now closed ", one_line($why), "\n";
  $r->{again} = $now + $I;
}
sub reused_opened {
  my $r = shift;
  my $now = now_us();
  my $seq = floor_div($now - $T0, $I) + 1;
  $seq = 0 if $seq < 0;
  @$r{qw(open seq want until in out)} = (1, $seq, 'r', undef, '', '');
  print "ncw e $r->{id} $now open first-seq=$seq\n";
  $r->{ready} = sub { reused_io($r); };
}
sub reused_connect {
  my $r = shift;
  $r->{again} = undef;
  if ($r->{proto} eq 'tcp') {
    $r->{until} = now_us() + $TU;
    $r->{expire} = sub { reused_closed($r, 'connect: Connection timed out'); };
    return tcp_connect($r, $r->{host}, $r->{port}, sub { reused_opened($r); }, sub { reused_closed($r, "connect: $_[0]"); });
  }
  my ($fam, $sa) = sockaddr_of($r->{host}, $r->{port});
  return reused_closed($r, "bad address $r->{host}") unless $fam;
  my $s;
  return reused_closed($r, "socket: $!") unless socket($s, $fam, SOCK_DGRAM, 0);
  nonblocking($s);
  $r->{fh} = $s;
  return reused_closed($r, "connect: $!") unless connect($s, $sa);
  reused_opened($r);
}
sub reused_send {
  my ($r, $line) = @_;
  if ($r->{proto} eq 'udp') {
    return if defined send($r->{fh}, $line, 0) || again();
    return reused_closed($r, "write: $!");
  }
  $r->{out} .= $line;
  my $n = syswrite($r->{fh}, $r->{out});
  if (!defined $n) { return reused_closed($r, "write: $!") unless again(); $n = 0; }
  substr($r->{out}, 0, $n) = '';
  $r->{want} = length $r->{out} ? 'rw' : 'r';
}
sub reused_io {
  my $r = shift;
  if (length $r->{out} && $r->{proto} eq 'tcp') { reused_send($r, ''); return unless $r->{fh}; }
  my $buf = '';
  my $n = $r->{proto} eq 'udp' ? (defined recv($r->{fh}, $buf, 4096, 0) ? length $buf : undef) : sysread($r->{fh}, $buf, 65536);
  if (!defined $n) { return if again(); return reused_closed($r, "read: $!"); }
  return reused_closed($r, 'eof') if $n == 0 && $r->{proto} eq 'tcp';
  $r->{in} .= $buf;
  my $now = now_us();
  while ($r->{in} =~ s/^([^\n]*)\n//) {
    my ($seq, $sent) = split ' ', $1;
    next unless defined $sent && $seq =~ /^\d+$/ && $sent =~ /^\d+$/;
    print "ncw s $r->{id} $seq $sent 0 ", $now - $sent, " echo\n";
  }
}

my (@NEW, @REUSED);
while (@args >= 4) {
  my ($id, $check, $host, $port) = splice(@args, 0, 4);
  if ($check =~ /^(tcp|udp)-reused$/) {
    my $r = { id => $id, host => $host, port => $port, proto => $1, open => 0, again => 0 };
    push @REUSED, $r;
    push @WATCH, $r;
  } else {
    push @NEW, { id => $id, check => $check, host => $host, port => $port, seq => 0, in_flight => 0 };
    icmp_socket($host =~ /:/ ? AF_INET6 : AF_INET) if $check eq 'icmp';
  }
}

sub start_sample {
  my ($t, $seq) = @_;
  my $p = { target => $t, seq => $seq, start => now_us() };
  $p->{until} = $p->{start} + $TU;
  $t->{in_flight}++;
  push @WATCH, $p;
  my $start = $START{$t->{check}};
  return finish($p, 127, "unknown check $t->{check}") unless $start;
  $start->($p);
}

$SIG{TERM} = $SIG{INT} = sub { kill 'KILL', keys %CHILD; exit 0; };
my $next_h = now_us();
while (1) {
  my $now = now_us();
  if ($now >= $next_h) { print "ncw h $now\n"; $next_h = $now + 1000000; }
  my $wake = $next_h;
  for my $t (@NEW) {
    my $due = $T0 + $t->{seq} * $I;
    if ($now >= $due) {
      # a due time missed by more than an interval (the pod was starved) is skipped, never sampled late
      if ($now - $due > $I) { $t->{seq} = floor_div($now - $T0, $I) + 1; }
      else { start_sample($t, $t->{seq}) if $t->{in_flight} < $MAX_IN_FLIGHT; $t->{seq}++; }
      $due = $T0 + $t->{seq} * $I;
    }
    $wake = $due if $due < $wake;
  }
  for my $r (@REUSED) {
    if (!$r->{fh}) {
      if (defined $r->{again} && now_us() >= $r->{again}) { reused_connect($r); }
      elsif (defined $r->{again}) { $wake = $r->{again} if $r->{again} < $wake; }
    }
    next unless $r->{open};
    while ($r->{fh} && $T0 + $r->{seq} * $I <= now_us()) { reused_send($r, "$r->{seq} " . now_us() . "\n"); $r->{seq}++; }
    my $due = $T0 + $r->{seq} * $I;
    $wake = $due if $due < $wake;
  }
  my ($rin, $win) = ('', '');
  my @polled = grep { $_->{fh} && !$_->{done} && $_->{want} } @WATCH;
  for my $w (@polled) {
    $w->{polled} = $w->{fh};
    vec($rin, fileno($w->{fh}), 1) = 1 if $w->{want} =~ /r/;
    vec($win, fileno($w->{fh}), 1) = 1 if $w->{want} =~ /w/;
  }
  for my $w (@WATCH) { $wake = $w->{until} if defined $w->{until} && !$w->{done} && $w->{until} < $wake; }
  my $wait = ($wake - now_us()) / 1e6;
  $wait = 0 if $wait < 0;
  my ($rout, $wout) = ($rin, $win);
  my $n = select($rout, $wout, undef, $wait);
  $now = now_us();
  if ($n > 0) {
    for my $w (@polled) {
      next if $w->{done} || !$w->{fh} || $w->{fh} != $w->{polled};
      # past its deadline a sample has timed out, whatever came with it: socat, curl and ping keep the same rule,
      # and a TCP connect whose SYN is retransmitted at 1 s must not pass a 1 s timeout for being read late
      next if defined $w->{until} && $now >= $w->{until};
      my $fd = fileno($w->{fh});
      $w->{ready}->() if ($w->{want} =~ /r/ && vec($rout, $fd, 1)) || ($w->{want} =~ /w/ && vec($wout, $fd, 1));
    }
  }
  $now = now_us();
  for my $w (@WATCH) { $w->{expire}->() if defined $w->{until} && !$w->{done} && $now >= $w->{until}; }
  @WATCH = grep { !$_->{done} } @WATCH;
}
