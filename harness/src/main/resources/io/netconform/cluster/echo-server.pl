# netconform's echo server: TCP and UDP echo on the given ports, IPv4 and IPv6, in this one process.
# Why perl: socat's fork option starts a process per connection and per datagram; a sweep round sends hundreds,
# and a process start costs ~10 ms on a small node (socat still serves SCTP, and every port where perl is missing).
# args: tcp|udp PORT ...   Exits (non-zero) when an IPv4 listener cannot start, or an IPv6 one in a pod with IPv6.
use strict;
use Socket qw(AF_INET AF_INET6 SOCK_STREAM SOCK_DGRAM SOL_SOCKET SO_REUSEADDR IPPROTO_IPV6 IPV6_V6ONLY SOMAXCONN INADDR_ANY IN6ADDR_ANY pack_sockaddr_in pack_sockaddr_in6);
use Fcntl qw(F_GETFL F_SETFL O_NONBLOCK);
use Errno qw(EAGAIN EINTR);
$| = 1;
sub nonblocking { my $s = shift; fcntl($s, F_SETFL, fcntl($s, F_GETFL, 0) | O_NONBLOCK); }
# a pod without a global IPv6 address is never probed over IPv6: its IPv6 listeners may fail quietly
sub has_ipv6 { open(my $f, '<', '/proc/net/if_inet6') or return 0; while (<$f>) { my @w = split; return 1 if $w[3] eq '00'; } return 0; }
my (%listener, %conn);
while (@ARGV >= 2) {
  my ($proto, $port) = splice(@ARGV, 0, 2);
  for my $fam (AF_INET, AF_INET6) {
    my $name = "$proto/$port" . ($fam == AF_INET6 ? ' (IPv6)' : '');
    my $s;
    my $ok = socket($s, $fam, $proto eq 'tcp' ? SOCK_STREAM : SOCK_DGRAM, 0)
      && setsockopt($s, SOL_SOCKET, SO_REUSEADDR, 1)
      && ($fam == AF_INET || setsockopt($s, IPPROTO_IPV6, IPV6_V6ONLY, 1))
      && bind($s, $fam == AF_INET ? pack_sockaddr_in($port, INADDR_ANY) : pack_sockaddr_in6($port, IN6ADDR_ANY))
      && ($proto ne 'tcp' || listen($s, SOMAXCONN));
    if (!$ok) {
      my $err = "$!";
      die "$name listener exited: $err\n" if $fam == AF_INET || has_ipv6();
      print STDERR "no IPv6 in this pod: $name not served\n";
      next;
    }
    nonblocking($s);
    $listener{fileno($s)} = { s => $s, proto => $proto };
  }
}
while (1) {
  my ($rin, $win) = ('', '');
  vec($rin, $_, 1) = 1 for keys %listener, keys %conn;
  vec($win, $_, 1) = 1 for grep { length $conn{$_}{out} } keys %conn;
  my ($rout, $wout) = ($rin, $win);
  next if select($rout, $wout, undef, undef) < 0;
  for my $fd (keys %listener) {
    next unless vec($rout, $fd, 1);
    my $l = $listener{$fd};
    if ($l->{proto} eq 'tcp') {
      my $c;
      if (accept($c, $l->{s})) { nonblocking($c); $conn{fileno($c)} = { s => $c, out => '' }; }
    } else {
      my $data = '';
      my $peer = recv($l->{s}, $data, 65535, 0);
      send($l->{s}, $data, 0, $peer) if defined $peer && length $data;
    }
  }
  for my $fd (keys %conn) {
    my $c = $conn{$fd};
    if (vec($rout, $fd, 1)) {
      my $n = sysread($c->{s}, my $buf, 65536);
      if (defined $n && $n > 0) { $c->{out} .= $buf; }
      elsif (!defined $n && ($! == EAGAIN || $! == EINTR)) { }
      else { close($c->{s}); delete $conn{$fd}; next; }
    }
    if (length $c->{out}) {
      my $n = syswrite($c->{s}, $c->{out});
      if (defined $n) { substr($c->{out}, 0, $n) = ''; }
      elsif ($! != EAGAIN && $! != EINTR) { close($c->{s}); delete $conn{$fd}; }
    }
  }
}
