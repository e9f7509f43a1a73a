package io.netconform.probe.lab;

import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Skips the annotated tests, naming the reason, unless this machine can run a {@link ProbeLab}: root,
 * and every tool the lab runs (with the Debian package that provides it). Without it, a machine that
 * lacks root or a package would fail the lab tests for reasons that have nothing to do with probes.
 *
 * <p>On Debian: {@code apt-get install -y iproute2 iputils-ping iputils-tracepath dnsutils curl
 * netcat-openbsd socat nginx-light dnsmasq-base iptables} (nginx-light's postinst may try to start the
 * system nginx; a {@code policy-rc.d} that exits 101 stops it, and the lab never uses that instance).
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(ProbeLabCondition.class)
public @interface RequiresProbeLab {
}
