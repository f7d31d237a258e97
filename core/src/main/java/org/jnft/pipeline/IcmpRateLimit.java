package org.jnft.pipeline;

/**
 * Linux's ICMP rate limiting, for both families: the global token bucket (icmp_global_allow, shared by
 * ICMP and ICMPv6: {@code icmp_msgs_per_sec}, {@code icmp_msgs_burst}) and the per-destination buckets of
 * the inet_peer cache (inet_peer_xrlim_allow: a bucket of up to six timeouts' worth of tokens, one timeout
 * spent per message; a new peer starts full). ip_error's limiter for "no route" errors shares the peer's
 * tokens, as in Linux.
 *
 * <p>Linux spends a random 0, 1 or 2 global credits per message (icmp_global_consume) so that the limit
 * cannot be probed; jnft spends exactly one, for reproducible runs.
 */
final class IcmpRateLimit {
    /** XRLIM_BURST_FACTOR: a peer may burst six messages. */
    private static final int BURST_FACTOR = 6;
    /**
     * The high word of an IPv4 peer's key: IPv6 peers use their address (hi, lo) and IPv4 peers (IPV4, addr);
     * an IPv6 source never starts with all ones (that is multicast), so the two never meet.
     */
    static final long IPV4 = -1L;
    private static final long MS = 1_000_000L;
    private static final int CAPACITY = 1 << 14;

    private final long msgsPerSec;
    private final long msgsBurst;
    private long globalCredit;
    private long globalStamp = Long.MIN_VALUE;

    // Peers: open addressing on (family, address); tokens and last update in nanoseconds.
    // An IPv4 peer's key is (IPV4, address).
    private final long[] keyHi = new long[CAPACITY];
    private final long[] keyLo = new long[CAPACITY];
    private final boolean[] used = new boolean[CAPACITY];
    private final long[] tokens = new long[CAPACITY];
    private final long[] last = new long[CAPACITY];
    private final int[] redirects = new int[CAPACITY];
    private int count;

    IcmpRateLimit(Sysctl sysctl) {
        this.msgsPerSec = sysctl.get("net.ipv4.icmp_msgs_per_sec");
        this.msgsBurst = sysctl.get("net.ipv4.icmp_msgs_burst");
        this.globalCredit = msgsBurst;
    }

    /** icmp_global_allow: is there global credit (refilled at most every 20 ms)? */
    boolean globalAllow(long now) {
        if (globalStamp == Long.MIN_VALUE) {
            globalStamp = now;
            return globalCredit > 0;
        }
        long delta = Math.min(now - globalStamp, 1000 * MS);
        if (delta < 20 * MS) {
            return globalCredit > 0;
        }
        long incr = msgsPerSec * delta / (1000 * MS);
        if (incr > 0) {
            globalCredit = Math.min(globalCredit + incr, msgsBurst);
            globalStamp = now;
        }
        return globalCredit > 0;
    }

    /** icmp_global_consume (one credit; Linux randomises 0..2). */
    void globalConsume() {
        if (globalCredit > 0) {
            globalCredit--;
        }
    }

    /** inet_peer_xrlim_allow for the peer (hi, lo) with {@code timeoutNanos} per message. */
    boolean peerAllow(long hi, long lo, long timeoutNanos, long now) {
        int slot = slot(hi, lo, now);
        long token = tokens[slot] + (now - last[slot]);
        last[slot] = now;
        long cap = BURST_FACTOR * timeoutNanos;
        if (token > cap) {
            token = cap;
        }
        boolean ok = false;
        if (token >= timeoutNanos) {
            token -= timeoutNanos;
            ok = true;
        }
        tokens[slot] = token;
        return ok;
    }

    /** ip_error's own limiter (ip_rt_error_cost 1 s, burst 5 s) on the same peer's tokens. */
    boolean errorAllow(long hi, long lo, long now) {
        int slot = slot(hi, lo, now);
        long token = tokens[slot] + (now - last[slot]);
        last[slot] = now;
        if (token > 5000 * MS) {
            token = 5000 * MS;
        }
        boolean ok = false;
        if (token >= 1000 * MS) {
            token -= 1000 * MS;
            ok = true;
        }
        tokens[slot] = token;
        return ok;
    }

    /**
     * ip_rt_send_redirect's limiter on the source's peer (sharing rate_last and rate_tokens with the ICMP
     * limiter, as in Linux): after 20.48 s without redirected packets start again; after 9 unheeded redirects
     * stay silent; otherwise the k-th redirect waits 20 ms << k after the previous one.
     */
    boolean redirectAllow(long hi, long lo, long now) {
        int slot = slot(hi, lo, now);
        long silence = (20 * MS) << 10;
        if (now - last[slot] > silence) {
            tokens[slot] = 0;
            redirects[slot] = 0;
        }
        if (redirects[slot] >= 9) {
            last[slot] = now;
            return false;
        }
        if (redirects[slot] == 0 || now - last[slot] > ((20 * MS) << redirects[slot])) {
            last[slot] = now;
            redirects[slot]++;
            return true;
        }
        return false;
    }

    /**
     * Finds or creates the peer. A new peer starts as if last seen long ago (inet_getpeer sets rate_last 60 s
     * back), so its bucket is full. When the table fills up, peers idle for over a minute are forgotten, as
     * the inet_peer cache lets them expire; failing that the probe's last slot is reused.
     */
    private int slot(long hi, long lo, long now) {
        int h = (int) mix(hi * 31 + lo) & (CAPACITY - 1);
        int firstFree = -1;
        int stalest = h;
        for (int i = 0; i < 64; i++) {
            int s = (h + i) & (CAPACITY - 1);
            if (used[s]) {
                if (keyHi[s] == hi && keyLo[s] == lo) {
                    return s;
                }
                if (now - last[s] > 60_000 * MS && firstFree < 0) {
                    firstFree = s;
                }
                if (last[s] < last[stalest]) {
                    stalest = s;
                }
            } else if (firstFree < 0) {
                firstFree = s;
                break;
            }
        }
        int s = firstFree >= 0 ? firstFree : stalest;
        if (!used[s]) {
            count++;
        }
        used[s] = true;
        keyHi[s] = hi;
        keyLo[s] = lo;
        tokens[s] = 0;
        redirects[s] = 0;
        last[s] = now - 60_000 * MS;
        return s;
    }

    int peers() {
        return count;
    }

    private static long mix(long x) {
        x ^= x >>> 33;
        x *= 0xff51afd7ed558ccdL;
        x ^= x >>> 33;
        return x;
    }
}
