package org.jnft.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** inet_peer_xrlim_allow and icmp_global_allow as Linux computes them, on a fake clock. */
class IcmpRateLimitTest {
    private static final long MS = 1_000_000L;

    private static int allowed(IcmpRateLimit rl, long hi, long lo, long timeoutMs, long gapMs, int n, long start) {
        int ok = 0;
        for (int i = 0; i < n; i++) {
            if (rl.peerAllow(hi, lo, timeoutMs * MS, start + i * gapMs * MS)) {
                ok++;
            }
        }
        return ok;
    }

    @Test
    void aNewPeerBurstsSixThenOnePerTimeout() {
        IcmpRateLimit rl = new IcmpRateLimit(new Sysctl());
        assertThat(allowed(rl, IcmpRateLimit.IPV4, 0x0a000102, 1000, 10, 8, 0)).isEqualTo(6);
        // a second later one more token has accrued
        assertThat(rl.peerAllow(IcmpRateLimit.IPV4, 0x0a000102, 1000 * MS, 1070 * MS)).isTrue();
        assertThat(rl.peerAllow(IcmpRateLimit.IPV4, 0x0a000102, 1000 * MS, 1080 * MS)).isFalse();
        // other peers are not affected
        assertThat(allowed(rl, IcmpRateLimit.IPV4, 0x0a000103, 1000, 10, 8, 0)).isEqualTo(6);
    }

    @Test
    void ipv6AtOneHundredMillisecondsRefillsWithTheSpacing() {
        IcmpRateLimit rl = new IcmpRateLimit(new Sysctl());
        // 44 ms apart: tokens before the k-th message are 600 - 56 (k - 1) ms, so nine pass and the tenth not
        assertThat(allowed(rl, 0x2001_0db8_000a_0000L, 2, 100, 44, 10, 5_000 * MS)).isEqualTo(9);
        IcmpRateLimit rl2 = new IcmpRateLimit(new Sysctl());
        assertThat(allowed(rl2, 0x2001_0db8_000a_0000L, 2, 100, 10, 8, 5_000 * MS)).isEqualTo(6);
    }

    @Test
    void globalBucketHoldsFiftyAndRefillsAtOneThousandPerSecond() {
        IcmpRateLimit rl = new IcmpRateLimit(new Sysctl());
        int ok = 0;
        for (int i = 0; i < 100; i++) {
            if (rl.globalAllow(0)) {
                rl.globalConsume();
                ok++;
            }
        }
        assertThat(ok).isEqualTo(50);
        assertThat(rl.globalAllow(10 * MS)).as("refilled at most each 20 ms").isFalse();
        assertThat(rl.globalAllow(30 * MS)).isTrue();
    }

    @Test
    void redirectsBackOffExponentiallyAndStopAfterNine() {
        IcmpRateLimit rl = new IcmpRateLimit(new Sysctl());
        long t = 100_000 * MS;
        assertThat(rl.redirectAllow(IcmpRateLimit.IPV4, 7, t)).isTrue();
        assertThat(rl.redirectAllow(IcmpRateLimit.IPV4, 7, t + 30 * MS)).as("second waits 40 ms").isFalse();
        assertThat(rl.redirectAllow(IcmpRateLimit.IPV4, 7, t + 41 * MS)).isTrue();
        int sent = 2;
        long now = t + 41 * MS;
        for (int i = 0; i < 20; i++) {
            now += 15_000 * MS;
            if (rl.redirectAllow(IcmpRateLimit.IPV4, 7, now)) {
                sent++;
            }
        }
        assertThat(sent).as("at most nine unheeded redirects").isEqualTo(9);
        assertThat(rl.redirectAllow(IcmpRateLimit.IPV4, 7, now + 21_000 * MS)).as("silence resets").isTrue();
    }
}
