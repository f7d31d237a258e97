package org.jnft.route;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.ToLongFunction;

/**
 * The knobs of one neighbour table (ARP or NDP), Linux's {@code struct neigh_parms} plus the table's GC
 * thresholds. Times are nanoseconds on the engine's clock. One instance per family; per-device values
 * ({@code net.ipv4.neigh.eth0.*}) are not modelled.
 *
 * <p>The sysctls (prefix {@code net.ipv4.neigh.default.} or {@code net.ipv6.neigh.default.}), their units
 * and Linux's defaults (net/ipv4/arp.c {@code arp_tbl}, net/ipv6/ndisc.c {@code nd_tbl}, the sysctl
 * template in net/core/neighbour.c):
 * <pre>
 *  key                      unit       IPv4     IPv6     component
 *  base_reachable_time      s          30       30       baseReachableTime
 *  base_reachable_time_ms   ms         30000    30000    baseReachableTime (same variable)
 *  retrans_time             1/100 s    100      100      retransTime (USER_HZ)
 *  retrans_time_ms          ms         1000     1000     retransTime (same variable)
 *  delay_first_probe_time   s          5        5        delayFirstProbeTime
 *  gc_stale_time            s          60       60       gcStaleTime
 *  locktime                 1/100 s    100      0        locktime (nd_tbl leaves it 0)
 *  mcast_solicit            probes     3        3        mcastSolicit
 *  ucast_solicit            probes     3        3        ucastSolicit
 *  app_solicit              probes     0        0        appSolicit
 *  mcast_resolicit          probes     0        0        mcastResolicit
 *  unres_qlen_bytes         bytes      212992   212992   unresQlenBytes
 *  unres_qlen               packets    101      101      unresQlenBytes / 2090 (same variable)
 *  gc_thresh1/2/3           entries    128/512/1024      gcThresh1/2/3
 *  gc_interval              s          30       30       accepted, unused (as in current Linux)
 * </pre>
 * Linux randomises the reachable time in [base/2, 3*base/2]; jnft uses base exactly, so runs are
 * reproducible.
 */
public record NeighbourParams(long baseReachableTime, long retransTime, long delayFirstProbeTime,
                              long gcStaleTime, long locktime, int mcastSolicit, int ucastSolicit,
                              int appSolicit, int mcastResolicit, int unresQlenBytes, int gcThresh1,
                              int gcThresh2, int gcThresh3) {

    /** SKB_TRUESIZE(ETH_FRAME_LEN) on x86-64 (1514 + 256 + 320): how {@code unres_qlen} converts to bytes. */
    public static final int TRUESIZE_ETH_FRAME = 2090;

    private static final long MS = 1_000_000L;
    private static final long S = 1_000_000_000L;

    public NeighbourParams {
        if (baseReachableTime < 0 || retransTime < 0 || delayFirstProbeTime < 0 || gcStaleTime < 0 || locktime < 0
                || mcastSolicit < 0 || ucastSolicit < 0 || appSolicit < 0 || mcastResolicit < 0
                || unresQlenBytes < 0 || gcThresh1 < 0 || gcThresh2 < 0 || gcThresh3 < 0) {
            throw new IllegalArgumentException("negative neighbour parameter");
        }
    }

    /** Linux's ARP defaults (arp_tbl). */
    public static NeighbourParams ipv4Defaults() {
        return new NeighbourParams(30 * S, 1 * S, 5 * S, 60 * S, 1 * S, 3, 3, 0, 0, 212992, 128, 512, 1024);
    }

    /** Linux's NDP defaults (nd_tbl): as ARP but locktime 0. */
    public static NeighbourParams ipv6Defaults() {
        return new NeighbourParams(30 * S, 1 * S, 5 * S, 60 * S, 0, 3, 3, 0, 0, 212992, 128, 512, 1024);
    }

    /** One sysctl: full key, Linux's default, accepted range, meaning. */
    public record Knob(String key, long defaultValue, long min, long max, String meaning) {
    }

    /** The sysctl prefix of a family: {@code net.ipv4.neigh.default.} or {@code net.ipv6.neigh.default.}. */
    public static String prefix(boolean ipv6) {
        return ipv6 ? "net.ipv6.neigh.default." : "net.ipv4.neigh.default.";
    }

    /** The knobs to register for a family, with Linux's defaults and ranges (0..INT_MAX). */
    public static List<Knob> knobs(boolean ipv6) {
        String p = prefix(ipv6);
        long max = Integer.MAX_VALUE;
        List<Knob> k = new ArrayList<>();
        k.add(new Knob(p + "base_reachable_time", 30, 0, max / 1000, "seconds a confirmed neighbour stays REACHABLE"));
        k.add(new Knob(p + "base_reachable_time_ms", 30000, 0, max, "base_reachable_time in milliseconds"));
        k.add(new Knob(p + "retrans_time", 100, 0, max, "1/100 s between solicitations"));
        k.add(new Knob(p + "retrans_time_ms", 1000, 0, max, "retrans_time in milliseconds"));
        k.add(new Knob(p + "delay_first_probe_time", 5, 0, max / 1000, "seconds in DELAY before probing"));
        k.add(new Knob(p + "gc_stale_time", 60, 0, max / 1000, "seconds an unused entry survives the periodic GC"));
        k.add(new Knob(p + "locktime", ipv6 ? 0 : 100, 0, max, "1/100 s during which a new ARP reply does not override"));
        k.add(new Knob(p + "mcast_solicit", 3, 0, max, "broadcast/multicast solicitations before FAILED"));
        k.add(new Knob(p + "ucast_solicit", 3, 0, max, "unicast probes before FAILED"));
        k.add(new Knob(p + "app_solicit", 0, 0, max, "solicitations left to a user-space daemon (none here)"));
        k.add(new Knob(p + "mcast_resolicit", 0, 0, max, "multicast probes after the unicast ones in PROBE"));
        k.add(new Knob(p + "unres_qlen_bytes", 212992, 0, max, "bytes queued per unresolved neighbour"));
        k.add(new Knob(p + "unres_qlen", 212992 / TRUESIZE_ETH_FRAME, 0, max / TRUESIZE_ETH_FRAME,
                "unres_qlen_bytes in full-size frames"));
        k.add(new Knob(p + "gc_thresh1", 128, 0, max, "entries below which the periodic GC does nothing"));
        k.add(new Knob(p + "gc_thresh2", 512, 0, max, "soft limit: forced GC at most every 5 s above it"));
        k.add(new Knob(p + "gc_thresh3", 1024, 0, max, "hard limit on dynamic entries"));
        k.add(new Knob(p + "gc_interval", 30, 0, max, "accepted for compatibility; unused, as in Linux"));
        return Collections.unmodifiableList(k);
    }

    /**
     * Builds a family's parameters from sysctl values (GET answers every key of {@link #knobs}). Where two keys
     * name one variable (base_reachable_time and _ms, retrans_time and _ms, unres_qlen and _bytes), a value
     * that differs from its default wins, the millisecond/byte form first.
     */
    public static NeighbourParams fromSysctl(boolean ipv6, ToLongFunction<String> get) {
        String p = prefix(ipv6);
        long reach = get.applyAsLong(p + "base_reachable_time_ms") != 30000
                ? get.applyAsLong(p + "base_reachable_time_ms") * MS
                : get.applyAsLong(p + "base_reachable_time") * S;
        long retrans = get.applyAsLong(p + "retrans_time_ms") != 1000
                ? get.applyAsLong(p + "retrans_time_ms") * MS
                : get.applyAsLong(p + "retrans_time") * 10 * MS;
        long qbytes = get.applyAsLong(p + "unres_qlen_bytes") != 212992
                ? get.applyAsLong(p + "unres_qlen_bytes")
                : get.applyAsLong(p + "unres_qlen") == 212992 / TRUESIZE_ETH_FRAME ? 212992
                : get.applyAsLong(p + "unres_qlen") * TRUESIZE_ETH_FRAME;
        return new NeighbourParams(reach, retrans, get.applyAsLong(p + "delay_first_probe_time") * S,
                get.applyAsLong(p + "gc_stale_time") * S, get.applyAsLong(p + "locktime") * 10 * MS,
                (int) get.applyAsLong(p + "mcast_solicit"), (int) get.applyAsLong(p + "ucast_solicit"),
                (int) get.applyAsLong(p + "app_solicit"), (int) get.applyAsLong(p + "mcast_resolicit"),
                (int) Math.min(Integer.MAX_VALUE, qbytes), (int) get.applyAsLong(p + "gc_thresh1"),
                (int) get.applyAsLong(p + "gc_thresh2"), (int) get.applyAsLong(p + "gc_thresh3"));
    }
}
