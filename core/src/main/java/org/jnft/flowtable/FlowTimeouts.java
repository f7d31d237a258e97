package org.jnft.flowtable;

/**
 * The flowtable's timeouts: a flow lives this long without traffic (net.netfilter.nf_flowtable_tcp_timeout
 * and nf_flowtable_udp_timeout, 30 s; other protocols NF_FLOW_TIMEOUT, 30 s). Read once.
 */
public final class FlowTimeouts {
    public static final long S = 1_000_000_000L;
    /** nf_flow_table_extend_ct_timeout tops an offloaded entry up when less than this is left. */
    static final long CT_MIN_LEFT = 300 * S;
    /** NF_CT_DAY: the timeout of an offloaded conntrack entry. */
    public static final long CT_DAY = 86_400 * S;
    /** flow_offload_refresh moves the deadline only when it moves by more than this (HZ). */
    static final long REFRESH_STEP = S;

    public final long tcp;
    public final long udp;
    public final long other;

    public FlowTimeouts(long tcpSeconds, long udpSeconds) {
        this.tcp = tcpSeconds * S;
        this.udp = udpSeconds * S;
        this.other = 30 * S;
    }

    /** flow_offload_get_timeout. */
    long of(int proto) {
        return switch (proto) {
            case 6 -> tcp;
            case 17 -> udp;
            default -> other;
        };
    }
}
