# netconform's socket batch: every TCP connect and UDP echo probe of one pod, concurrently, in this one process.
# Why perl: a fork+exec per probe (nc, socat) costs ~10 ms on a small node and hundreds of them load it until the
# probes time out; perl (Debian's perl-base is Essential, netshoot ships perl) does them all with non-blocking
# sockets and select(). Core modules only. Time comes from /proc/uptime: Time::HiRes is not in perl-base.
# args: LIMIT_S, then per probe: INDEX tcp|udp IP PORT TIMEOUT_S TOKEN
# prints one line per probe as it ends: "@@NP INDEX ok|err|timeout ELAPSED_S [strerror]"
use strict;
use Socket qw(inet_pton pack_sockaddr_in pack_sockaddr_in6 AF_INET AF_INET6 SOCK_STREAM SOCK_DGRAM SOL_SOCKET SO_ERROR);
use Errno qw(EINPROGRESS);
use Fcntl qw(F_GETFL F_SETFL O_NONBLOCK);
$| = 1;
my $limit = shift @ARGV;
# the exec is given up on after LIMIT_S: never outlive it
$SIG{ALRM} = sub { exit 98 };
alarm($limit);
sub now { open(my $f, '<', '/proc/uptime') or return time; my $l = <$f>; close $f; return (split ' ', $l)[0]; }
my $t0 = now();
sub done { my ($p, $what, $why) = @_; $p->{done} = 1; close($p->{s}) if $p->{s};
  printf '@@NP %s %s %.2f %s'."\n", $p->{i}, $what, now() - $t0, $why // ''; }
my @probes;
while (@ARGV >= 6) {
  my ($i, $proto, $ip, $port, $timeout, $token) = splice(@ARGV, 0, 6);
  my $p = { i => $i, proto => $proto, token => $token, until => $t0 + $timeout };
  push @probes, $p;
  my $fam = $ip =~ /:/ ? AF_INET6 : AF_INET;
  my $addr = inet_pton($fam, $ip);
  if (!$addr) { done($p, 'err', "bad address $ip"); next; }
  my $sa = $fam == AF_INET6 ? pack_sockaddr_in6($port, $addr) : pack_sockaddr_in($port, $addr);
  my $s;
  if (!socket($s, $fam, $proto eq 'tcp' ? SOCK_STREAM : SOCK_DGRAM, 0)) { done($p, 'err', "socket: $!"); next; }
  $p->{s} = $s;
  fcntl($s, F_SETFL, fcntl($s, F_GETFL, 0) | O_NONBLOCK);
  if ($proto eq 'tcp') {
    if (connect($s, $sa)) { done($p, 'ok', 'connected'); }
    elsif ($! == EINPROGRESS) { $p->{want} = 'w'; }
    else { done($p, 'err', "$!"); }
  } else {
    # a connected UDP socket is told of ICMP port unreachable (ECONNREFUSED) by the next recv
    if (!connect($s, $sa)) { done($p, 'err', "$!"); next; }
    if (!defined send($s, "$token\n", 0)) { done($p, 'err', "$!"); next; }
    $p->{want} = 'r';
  }
}
while (1) {
  my @open = grep { !$_->{done} } @probes;
  last unless @open;
  my $now = now();
  my ($rin, $win) = ('', '');
  my $next;
  for my $p (@open) {
    if ($now >= $p->{until}) { done($p, 'timeout', ''); next; }
    vec($p->{want} eq 'w' ? $win : $rin, fileno($p->{s}), 1) = 1;
    $next = $p->{until} if !defined $next || $p->{until} < $next;
  }
  next unless defined $next;
  my ($rout, $wout) = ($rin, $win);
  # wake at least every 0.1 s: /proc/uptime moves in 10 ms steps, select may return early or late under load
  my $wait = $next - $now; $wait = 0.1 if $wait > 0.1; $wait = 0.01 if $wait < 0.01;
  select($rout, $wout, undef, $wait);
  for my $p (grep { !$_->{done} } @probes) {
    my $fd = fileno($p->{s});
    if ($p->{want} eq 'w' && vec($wout, $fd, 1)) {
      my $e = unpack('i', getsockopt($p->{s}, SOL_SOCKET, SO_ERROR));
      if ($e == 0) { done($p, 'ok', 'connected'); } else { local $! = $e; done($p, 'err', "$!"); }
    } elsif ($p->{want} eq 'r' && vec($rout, $fd, 1)) {
      my $buf = '';
      if (!defined recv($p->{s}, $buf, 4096, 0)) { done($p, 'err', "$!"); }
      elsif (index($buf, $p->{token}) >= 0) { done($p, 'ok', 'token echoed back'); }
      # anything else is not our answer: keep waiting for it
    }
  }
}
exit 0;
