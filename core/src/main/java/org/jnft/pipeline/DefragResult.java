package org.jnft.pipeline;

/**
 * Verdicts of {@link Ipv4Defrag#gather} and {@link Ipv6Defrag#gather}, and the reasons under which Linux
 * frees fragments. The codes are ints so the data plane neither allocates nor throws; {@link #linuxReason}
 * names the {@code enum skb_drop_reason} member (without {@code SKB_DROP_REASON_}) Linux frees the packet
 * with, or null when Linux does not count a drop.
 *
 * <p>How the hook continues: {@link #ACCEPT} — go on with the packet as it is (not a fragment, or one Linux
 * lets through unreassembled); {@link #QUEUED} — the fragment was kept (NF_STOLEN), stop; {@link
 * #REASSEMBLED} — go on with the reassembled datagram in the output buffer (re-parse it); anything else —
 * the fragment is gone, count it under {@link #linuxReason} if not null, stop.
 */
public final class DefragResult {
    /** Not a fragment (or a case Linux passes through unreassembled): continue with the packet unchanged. */
    public static final int ACCEPT = 0;
    /** Queued, waiting for the rest (NF_STOLEN). */
    public static final int QUEUED = 1;
    /** The datagram is complete; the output buffer holds it. */
    public static final int REASSEMBLED = 2;
    /**
     * Queued, then the datagram could not be built (longer than 65535 bytes, or an ECN mix RFC 3168
     * forbids): the queue and every fragment in it are freed as consumed (Linux counts REASMFAILS, no drop
     * reason), the verdict is NF_STOLEN.
     */
    public static final int REASM_FAILED = 3;
    /** A duplicate of data already queued: dropped, the queue kept (IPv4 DUP_FRAG; IPv6 kfree_skb, NOT_SPECIFIED). */
    public static final int DUP = 4;
    /**
     * Overlaps queued data (RFC 5722): the fragment is dropped and the whole queue freed (its fragments
     * consumed). IPv4 NOT_SPECIFIED (REASM_OVERLAPS counted), IPv6 NF_DROP, i.e. NETFILTER_DROP.
     */
    public static final int OVERLAP = 5;
    /**
     * Inconsistent with the queue: a last fragment ending before data already queued or elsewhere than an
     * earlier last fragment, data beyond the last fragment's end, or no data (end == offset). IPv4
     * discards the whole queue (NOT_SPECIFIED); IPv6 keeps the queue and drops the fragment (NETFILTER_DROP).
     */
    public static final int INVALID = 6;
    /** IPv6 only: the fragment would end beyond 65535 bytes of payload; dropped, queue kept (NETFILTER_DROP). */
    public static final int TOO_LONG = 7;
    /**
     * Reassembly memory over the high threshold (no queue can be found or made), or a truncated fragment
     * header: dropped. IPv4 NOT_SPECIFIED (REASMFAILS counted), IPv6 NETFILTER_DROP.
     */
    public static final int NOMEM = 8;
    /** Reason for queued fragments freed when their queue expired: FRAG_REASM_TIMEOUT. */
    public static final int TIMEOUT = 9;
    /** Reason for queued fragments freed when ipfrag_max_dist restarts a queue: FRAG_TOO_FAR. */
    public static final int TOO_FAR = 10;

    private DefragResult() {
    }

    /** True for a verdict after which the fragment is gone and nothing continues. */
    public static boolean isDrop(int code) {
        return code >= DUP && code <= NOMEM;
    }

    /**
     * Linux's skb_drop_reason name for the packet a verdict frees (or for {@link #TIMEOUT} / {@link #TOO_FAR}
     * fragments), for IPv4 ({@code ipv6 == false}, ip_defrag under nf_defrag_ipv4) or IPv6
     * (nf_ct_frag6_gather under nf_defrag_ipv6); null when Linux counts no drop.
     */
    public static String linuxReason(int code, boolean ipv6) {
        return switch (code) {
            case DUP -> ipv6 ? "NOT_SPECIFIED" : "DUP_FRAG";
            case OVERLAP, INVALID, NOMEM -> ipv6 ? "NETFILTER_DROP" : "NOT_SPECIFIED";
            case TOO_LONG -> "NETFILTER_DROP";
            case TIMEOUT -> "FRAG_REASM_TIMEOUT";
            case TOO_FAR -> "FRAG_TOO_FAR";
            default -> null;
        };
    }

    /** The constant's own name (logs, tests). */
    public static String name(int code) {
        return switch (code) {
            case ACCEPT -> "ACCEPT";
            case QUEUED -> "QUEUED";
            case REASSEMBLED -> "REASSEMBLED";
            case REASM_FAILED -> "REASM_FAILED";
            case DUP -> "DUP";
            case OVERLAP -> "OVERLAP";
            case INVALID -> "INVALID";
            case TOO_LONG -> "TOO_LONG";
            case NOMEM -> "NOMEM";
            case TIMEOUT -> "TIMEOUT";
            case TOO_FAR -> "TOO_FAR";
            default -> "UNKNOWN(" + code + ")";
        };
    }
}
