package org.jnft.conntrack;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code net.netfilter.nf_conntrack_*} sysctls conntrack honours, with Linux's defaults and the ranges
 * Linux accepts. Timeouts are in seconds as in /proc; {@link #set} stores them, the tracker reads the
 * nanosecond arrays. Values are read by the data plane from plain fields (no map lookups per packet).
 *
 * <p>{@code nf_conntrack_max} and {@code nf_conntrack_buckets}: Linux sizes the hash from memory and, on a
 * 64-bit machine with more than 4 GiB, uses 262144 buckets and {@code nf_conntrack_max} = buckets (max factor
 * 1 since 5.x); jnft takes those numbers as its defaults, whatever the memory. The buckets are fixed when the
 * {@link Conntrack} is built.
 */
public final class ConntrackParams {

    /** One knob: Linux's name, default and accepted range. */
    public record Knob(String key, long defaultValue, long min, long max, String meaning) {}

    private static final Map<String, Knob> KNOBS = new LinkedHashMap<>();
    private static final long TMAX = Integer.MAX_VALUE / 1000; // proc_dointvec_jiffies, HZ=1000

    private static void knob(String key, long def, long min, long max, String meaning) {
        KNOBS.put(key, new Knob(key, def, min, max, meaning));
    }

    static {
        knob("net.netfilter.nf_conntrack_max", 262144, 0, Integer.MAX_VALUE,
                "most entries (confirmed and unconfirmed); 0 = no limit");
        knob("net.netfilter.nf_conntrack_buckets", 262144, 1, 1 << 28, "hash buckets (read when conntrack starts)");
        knob("net.netfilter.nf_conntrack_acct", 0, 0, 1, "per-direction packet and byte counters on new entries");
        knob("net.netfilter.nf_conntrack_checksum", 1, 0, 1,
                "verify TCP/UDP/ICMP checksums at prerouting (bad ones are INVALID)");
        knob("net.netfilter.nf_conntrack_tcp_loose", 1, 0, 1, "pick up connections already established");
        knob("net.netfilter.nf_conntrack_tcp_be_liberal", 0, 0, 1,
                "only out-of-window RSTs are INVALID");
        knob("net.netfilter.nf_conntrack_tcp_ignore_invalid_rst", 0, 0, 1, "accept RSTs with a bad sequence number");
        knob("net.netfilter.nf_conntrack_tcp_max_retrans", 3, 0, 255,
                "retransmissions without an ACK before the max_retrans timeout applies");
        knob("net.netfilter.nf_conntrack_tcp_timeout_syn_sent", 120, 0, TMAX, "s");
        knob("net.netfilter.nf_conntrack_tcp_timeout_syn_recv", 60, 0, TMAX, "s");
        knob("net.netfilter.nf_conntrack_tcp_timeout_established", 432000, 0, TMAX, "s");
        knob("net.netfilter.nf_conntrack_tcp_timeout_fin_wait", 120, 0, TMAX, "s");
        knob("net.netfilter.nf_conntrack_tcp_timeout_close_wait", 60, 0, TMAX, "s");
        knob("net.netfilter.nf_conntrack_tcp_timeout_last_ack", 30, 0, TMAX, "s");
        knob("net.netfilter.nf_conntrack_tcp_timeout_time_wait", 120, 0, TMAX, "s");
        knob("net.netfilter.nf_conntrack_tcp_timeout_close", 10, 0, TMAX, "s");
        knob("net.netfilter.nf_conntrack_tcp_timeout_max_retrans", 300, 0, TMAX, "s");
        knob("net.netfilter.nf_conntrack_tcp_timeout_unacknowledged", 300, 0, TMAX,
                "s, while data is unacknowledged");
        knob("net.netfilter.nf_conntrack_udp_timeout", 30, 0, TMAX, "s, unreplied or young UDP");
        knob("net.netfilter.nf_conntrack_udp_timeout_stream", 120, 0, TMAX, "s, UDP stream (ASSURED)");
        knob("net.netfilter.nf_conntrack_icmp_timeout", 30, 0, TMAX, "s");
        knob("net.netfilter.nf_conntrack_icmpv6_timeout", 30, 0, TMAX, "s");
        knob("net.netfilter.nf_conntrack_gre_timeout", 30, 0, TMAX, "s, unreplied GRE");
        knob("net.netfilter.nf_conntrack_gre_timeout_stream", 180, 0, TMAX, "s, replied GRE");
        knob("net.netfilter.nf_conntrack_generic_timeout", 600, 0, TMAX, "s, other protocols");
    }

    /** Every knob, in documentation order. */
    public static Map<String, Knob> knobs() {
        return Collections.unmodifiableMap(KNOBS);
    }

    static final long S = 1_000_000_000L;

    // Tracker indexes of tcpTimeouts beyond the states.
    static final int TCP_RETRANS = 10;
    static final int TCP_UNACK = 11;

    public int max = 262144;
    public int buckets = 262144;
    public boolean acct;
    public boolean checksum = true;
    public boolean tcpLoose = true;
    public boolean tcpBeLiberal;
    public boolean tcpIgnoreInvalidRst;
    public int tcpMaxRetrans = 3;
    /** ns per TCP state (index = state), then RETRANS (10) and UNACK (11). */
    final long[] tcpTimeouts = new long[12];
    long udpTimeout = 30 * S;
    long udpStreamTimeout = 120 * S;
    long icmpTimeout = 30 * S;
    long icmpv6Timeout = 30 * S;
    long greTimeout = 30 * S;
    long greStreamTimeout = 180 * S;
    long genericTimeout = 600 * S;

    /** Linux's defaults. */
    public ConntrackParams() {
        for (Knob k : KNOBS.values()) {
            set(k.key(), k.defaultValue());
        }
        tcpTimeouts[CtConst.TCP_SYN_SENT2] = 120 * S; // no sysctl in Linux
    }

    /** True for a key this class knows. */
    public static boolean knows(String key) {
        return KNOBS.containsKey(key);
    }

    /**
     * Sets one knob (timeouts in seconds).
     *
     * @throws IllegalArgumentException for an unknown key or a value out of Linux's range
     */
    public ConntrackParams set(String key, long v) {
        Knob k = KNOBS.get(key);
        if (k == null) {
            throw new IllegalArgumentException("unknown sysctl '" + key + "'");
        }
        if (v < k.min() || v > k.max()) {
            throw new IllegalArgumentException("sysctl " + key + ": " + v + " is out of range " + k.min() + ".." + k.max());
        }
        String name = key.substring("net.netfilter.nf_conntrack_".length());
        long ns = v * S;
        switch (name) {
            case "max" -> max = (int) v;
            case "buckets" -> buckets = (int) v;
            case "acct" -> acct = v != 0;
            case "checksum" -> checksum = v != 0;
            case "tcp_loose" -> tcpLoose = v != 0;
            case "tcp_be_liberal" -> tcpBeLiberal = v != 0;
            case "tcp_ignore_invalid_rst" -> tcpIgnoreInvalidRst = v != 0;
            case "tcp_max_retrans" -> tcpMaxRetrans = (int) v;
            case "tcp_timeout_syn_sent" -> tcpTimeouts[CtConst.TCP_SYN_SENT] = ns;
            case "tcp_timeout_syn_recv" -> tcpTimeouts[CtConst.TCP_SYN_RECV] = ns;
            case "tcp_timeout_established" -> tcpTimeouts[CtConst.TCP_ESTABLISHED] = ns;
            case "tcp_timeout_fin_wait" -> tcpTimeouts[CtConst.TCP_FIN_WAIT] = ns;
            case "tcp_timeout_close_wait" -> tcpTimeouts[CtConst.TCP_CLOSE_WAIT] = ns;
            case "tcp_timeout_last_ack" -> tcpTimeouts[CtConst.TCP_LAST_ACK] = ns;
            case "tcp_timeout_time_wait" -> tcpTimeouts[CtConst.TCP_TIME_WAIT] = ns;
            case "tcp_timeout_close" -> tcpTimeouts[CtConst.TCP_CLOSE] = ns;
            case "tcp_timeout_max_retrans" -> tcpTimeouts[TCP_RETRANS] = ns;
            case "tcp_timeout_unacknowledged" -> tcpTimeouts[TCP_UNACK] = ns;
            case "udp_timeout" -> udpTimeout = ns;
            case "udp_timeout_stream" -> udpStreamTimeout = ns;
            case "icmp_timeout" -> icmpTimeout = ns;
            case "icmpv6_timeout" -> icmpv6Timeout = ns;
            case "gre_timeout" -> greTimeout = ns;
            case "gre_timeout_stream" -> greStreamTimeout = ns;
            case "generic_timeout" -> genericTimeout = ns;
            default -> throw new IllegalStateException(key);
        }
        return this;
    }

    /** The TCP timeout of a state, in ns (for the flowtable's teardown rules). */
    public long tcpTimeout(int state) {
        return tcpTimeouts[state];
    }

    public long udpTimeout() {
        return udpTimeout;
    }

    public long udpStreamTimeout() {
        return udpStreamTimeout;
    }
}
