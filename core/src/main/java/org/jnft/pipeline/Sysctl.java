package org.jnft.pipeline;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jnft.conntrack.ConntrackParams;
import org.jnft.route.NeighbourParams;

/**
 * The Linux sysctl knobs jnft honours ({@code --set KEY=VALUE}), with Linux's defaults. Values are read once
 * into final fields by the components that use them; docs/KNOBS.md lists them. An unknown key or a value out
 * of range is a usage error.
 */
public final class Sysctl {

    /** One known knob: its Linux default and the range Linux accepts. */
    public record Knob(String key, long defaultValue, long min, long max, String meaning) {}

    private static final Map<String, Knob> KNOWN = new LinkedHashMap<>();

    private static void knob(String key, long def, long min, long max, String meaning) {
        KNOWN.put(key, new Knob(key, def, min, max, meaning));
    }

    static {
        knob("net.ipv4.ip_default_ttl", 64, 1, 255, "TTL of IPv4 packets the router makes");
        knob("net.ipv4.icmp_echo_ignore_all", 0, 0, 1, "ignore every ICMP echo request");
        knob("net.ipv4.icmp_echo_ignore_broadcasts", 1, 0, 1, "ignore echo requests to broadcast/multicast");
        knob("net.ipv4.icmp_errors_use_inbound_ifaddr", 0, 0, 1,
                "source ICMP errors from the interface the offending packet came in on");
        knob("net.ipv4.icmp_ratelimit", 1000, 0, Integer.MAX_VALUE,
                "ms between ICMP errors to one destination (burst of 6), for the types in icmp_ratemask");
        knob("net.ipv4.icmp_ratemask", 6168, 0, 0x7ffff, "bit per ICMP type rate limited (default: 3, 4, 11, 12)");
        knob("net.ipv4.icmp_msgs_per_sec", 1000, 0, Integer.MAX_VALUE, "global ICMP/ICMPv6 error rate");
        knob("net.ipv4.icmp_msgs_burst", 50, 0, Integer.MAX_VALUE, "global ICMP/ICMPv6 error burst");
        knob("net.ipv4.conf.all.send_redirects", 1, 0, 1, "send ICMP redirects");
        knob("net.ipv6.icmp.ratelimit", 100, 0, Integer.MAX_VALUE,
                "ms between ICMPv6 errors to one destination (burst of 6)");
        knob("net.ipv4.ipfrag_high_thresh", 4L << 20, 0, 1L << 30,
                "bytes of fragments held for reassembly before new ones are refused (pools are preallocated from it)");
        knob("net.ipv4.ipfrag_low_thresh", 3L << 20, 0, 1L << 30, "accepted; unused since Linux 4.17");
        knob("net.ipv4.ipfrag_time", 30, 1, 86400, "seconds a datagram may take to reassemble");
        knob("net.ipv4.ipfrag_max_dist", 64, 0, Integer.MAX_VALUE,
                "fragments from one source between two of a datagram before its queue restarts (0: off)");
        knob("net.netfilter.nf_conntrack_frag6_high_thresh", 4L << 20, 0, 1L << 30,
                "bytes of IPv6 fragments held for reassembly");
        knob("net.netfilter.nf_conntrack_frag6_low_thresh", 3L << 20, 0, 1L << 30, "accepted; unused");
        knob("net.netfilter.nf_conntrack_frag6_timeout", 60, 1, 86400, "seconds an IPv6 datagram may take to reassemble");
        knob("net.netfilter.nf_flowtable_tcp_timeout", 30, 0, Integer.MAX_VALUE / 1000,
                "s an offloaded TCP flow lives without traffic");
        knob("net.netfilter.nf_flowtable_udp_timeout", 30, 0, Integer.MAX_VALUE / 1000,
                "s an offloaded UDP flow lives without traffic");
        for (ConntrackParams.Knob k : ConntrackParams.knobs().values()) {
            knob(k.key(), k.defaultValue(), k.min(), k.max(), k.meaning());
        }
        for (boolean v6 : new boolean[] {false, true}) {
            for (NeighbourParams.Knob k : NeighbourParams.knobs(v6)) {
                knob(k.key(), k.defaultValue(), k.min(), k.max(), k.meaning());
            }
        }
        knob("net.ipv6.conf.all.hop_limit", 64, 1, 255, "hop limit of IPv6 packets the router makes");
        knob("net.ipv6.conf.default.hop_limit", 64, 1, 255, "hop limit of IPv6 packets the router makes");
    }

    private final Map<String, Long> values = new LinkedHashMap<>();

    /** All knobs at Linux's defaults. */
    public Sysctl() {
        for (Knob k : KNOWN.values()) {
            values.put(k.key(), k.defaultValue());
        }
    }

    /** The known knobs, in documentation order. */
    public static Map<String, Knob> known() {
        return Collections.unmodifiableMap(KNOWN);
    }

    /**
     * Applies one {@code KEY=VALUE}; Linux's sysctl names with dots (slashes accepted too).
     *
     * @throws IllegalArgumentException naming the key for an unknown key or a bad value
     */
    public void set(String assignment) {
        int eq = assignment.indexOf('=');
        if (eq <= 0) {
            throw new IllegalArgumentException("--set expects KEY=VALUE, got '" + assignment + "'");
        }
        String key = assignment.substring(0, eq).trim().replace('/', '.');
        String text = assignment.substring(eq + 1).trim();
        Knob k = KNOWN.get(key);
        if (k == null) {
            throw new IllegalArgumentException("unknown sysctl '" + key + "' (docs/KNOBS.md lists the known ones)");
        }
        long v;
        try {
            v = Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("sysctl " + key + ": '" + text + "' is not a number");
        }
        if (v < k.min() || v > k.max()) {
            throw new IllegalArgumentException("sysctl " + key + ": " + v + " is out of range " + k.min() + ".." + k.max());
        }
        values.put(key, v);
    }

    public long get(String key) {
        Long v = values.get(key);
        if (v == null) {
            throw new IllegalArgumentException("unknown sysctl '" + key + "'");
        }
        return v;
    }

    /** The conntrack knobs as set. */
    public ConntrackParams conntrackParams() {
        ConntrackParams p = new ConntrackParams();
        for (String key : ConntrackParams.knobs().keySet()) {
            p.set(key, get(key));
        }
        return p;
    }

    public int getInt(String key) {
        return (int) get(key);
    }
}
