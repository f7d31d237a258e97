package org.jnft.conntrack;

/**
 * Numbers shared with Linux: conntrack status bits (uapi nf_conntrack_common.h), ctinfo values
 * ({@code enum ip_conntrack_info}), directions, nft's {@code ct state} bits, and the l3 protocol numbers
 * conntrack stores ({@code NFPROTO_IPV4} 2, {@code NFPROTO_IPV6} 10).
 */
public final class CtConst {
    private CtConst() {
    }

    // ---- status bits (IPS_*_BIT) and masks
    public static final int EXPECTED_BIT = 0;
    public static final int SEEN_REPLY_BIT = 1;
    public static final int ASSURED_BIT = 2;
    public static final int CONFIRMED_BIT = 3;
    public static final int SRC_NAT_BIT = 4;
    public static final int DST_NAT_BIT = 5;
    public static final int SEQ_ADJUST_BIT = 6;
    public static final int SRC_NAT_DONE_BIT = 7;
    public static final int DST_NAT_DONE_BIT = 8;
    public static final int DYING_BIT = 9;
    public static final int FIXED_TIMEOUT_BIT = 10;
    public static final int TEMPLATE_BIT = 11;
    public static final int NAT_CLASH_BIT = 12;
    public static final int HELPER_BIT = 13;
    public static final int OFFLOAD_BIT = 14;
    public static final int HW_OFFLOAD_BIT = 15;

    public static final int IPS_EXPECTED = 1 << EXPECTED_BIT;
    public static final int IPS_SEEN_REPLY = 1 << SEEN_REPLY_BIT;
    public static final int IPS_ASSURED = 1 << ASSURED_BIT;
    public static final int IPS_CONFIRMED = 1 << CONFIRMED_BIT;
    public static final int IPS_SRC_NAT = 1 << SRC_NAT_BIT;
    public static final int IPS_DST_NAT = 1 << DST_NAT_BIT;
    public static final int IPS_NAT_MASK = IPS_SRC_NAT | IPS_DST_NAT;
    public static final int IPS_SEQ_ADJUST = 1 << SEQ_ADJUST_BIT;
    public static final int IPS_SRC_NAT_DONE = 1 << SRC_NAT_DONE_BIT;
    public static final int IPS_DST_NAT_DONE = 1 << DST_NAT_DONE_BIT;
    public static final int IPS_DYING = 1 << DYING_BIT;
    public static final int IPS_FIXED_TIMEOUT = 1 << FIXED_TIMEOUT_BIT;
    public static final int IPS_TEMPLATE = 1 << TEMPLATE_BIT;
    public static final int IPS_NAT_CLASH = 1 << NAT_CLASH_BIT;
    public static final int IPS_HELPER = 1 << HELPER_BIT;
    public static final int IPS_OFFLOAD = 1 << OFFLOAD_BIT;
    public static final int IPS_HW_OFFLOAD = 1 << HW_OFFLOAD_BIT;

    // ---- ctinfo (enum ip_conntrack_info)
    public static final int IP_CT_ESTABLISHED = 0;
    public static final int IP_CT_RELATED = 1;
    public static final int IP_CT_NEW = 2;
    public static final int IP_CT_IS_REPLY = 3;
    public static final int IP_CT_ESTABLISHED_REPLY = IP_CT_ESTABLISHED + IP_CT_IS_REPLY;
    public static final int IP_CT_RELATED_REPLY = IP_CT_RELATED + IP_CT_IS_REPLY;
    public static final int IP_CT_UNTRACKED = 7;
    /** Not a Linux value: "no conntrack attached" (Linux: skb->_nfct == 0), i.e. ct state invalid. */
    public static final int IP_CT_NONE = -1;

    // ---- directions
    public static final int DIR_ORIGINAL = 0;
    public static final int DIR_REPLY = 1;

    // ---- nft ct state bits (NF_CT_STATE_*)
    public static final int STATE_INVALID = 1;
    public static final int STATE_ESTABLISHED = 2;
    public static final int STATE_RELATED = 4;
    public static final int STATE_NEW = 8;
    public static final int STATE_UNTRACKED = 64;

    // ---- l3 protocol numbers as conntrack stores them
    public static final int NFPROTO_IPV4 = 2;
    public static final int NFPROTO_IPV6 = 10;

    // ---- hooks (NF_INET_*), for nf_conntrack_in's checksum rule
    public static final int HOOK_PRE_ROUTING = 0;
    public static final int HOOK_LOCAL_IN = 1;
    public static final int HOOK_FORWARD = 2;
    public static final int HOOK_LOCAL_OUT = 3;
    public static final int HOOK_POST_ROUTING = 4;

    // ---- TCP states (enum tcp_conntrack)
    public static final int TCP_NONE = 0;
    public static final int TCP_SYN_SENT = 1;
    public static final int TCP_SYN_RECV = 2;
    public static final int TCP_ESTABLISHED = 3;
    public static final int TCP_FIN_WAIT = 4;
    public static final int TCP_CLOSE_WAIT = 5;
    public static final int TCP_LAST_ACK = 6;
    public static final int TCP_TIME_WAIT = 7;
    public static final int TCP_CLOSE = 8;
    public static final int TCP_SYN_SENT2 = 9;

    private static final String[] TCP_NAMES = {"NONE", "SYN_SENT", "SYN_RECV", "ESTABLISHED", "FIN_WAIT",
        "CLOSE_WAIT", "LAST_ACK", "TIME_WAIT", "CLOSE", "SYN_SENT2"};

    /** conntrack-tools' name of a TCP state. */
    public static String tcpStateName(int state) {
        return state >= 0 && state < TCP_NAMES.length ? TCP_NAMES[state] : "NONE";
    }

    /** nft's ct state bit for a ctinfo ({@code NF_CT_STATE_BIT}), 1 (invalid) for {@link #IP_CT_NONE}. */
    public static int stateBit(int ctinfo) {
        if (ctinfo == IP_CT_UNTRACKED) {
            return STATE_UNTRACKED;
        }
        if (ctinfo < 0) {
            return STATE_INVALID;
        }
        return 1 << (ctinfo % IP_CT_IS_REPLY + 1);
    }

    /** Direction of a ctinfo (CTINFO2DIR). */
    public static int dir(int ctinfo) {
        return ctinfo >= IP_CT_IS_REPLY ? DIR_REPLY : DIR_ORIGINAL;
    }
}
