package org.jnft.vm;

import java.lang.foreign.MemorySegment;

/**
 * A packet as the interpreter sees it: the frame bytes plus the metadata the pipeline fills in before
 * calling a chain. Mutable and reused by the pipeline (one per worker), so evaluation allocates nothing.
 */
public final class NftPacket {
    /** Protocol families (NFPROTO_*). */
    public static final int NFPROTO_INET = 1, NFPROTO_IPV4 = 2, NFPROTO_ARP = 3, NFPROTO_NETDEV = 5,
            NFPROTO_BRIDGE = 7, NFPROTO_IPV6 = 10;
    /** Hooks (NF_INET_* numbering; ingress is NF_NETDEV_INGRESS = 0 for netdev chains). */
    public static final int HOOK_PREROUTING = 0, HOOK_INPUT = 1, HOOK_FORWARD = 2, HOOK_OUTPUT = 3,
            HOOK_POSTROUTING = 4, HOOK_INGRESS = 5;

    public MemorySegment segment;
    /** Offset and length of the frame (starting at the link-layer header) within {@link #segment}. */
    public long frameOffset;
    public int frameLength;
    /** Offsets from the frame start; -1 when absent. */
    public int linkOffset;
    public int networkOffset = -1;
    public int transportOffset = -1;
    /** Fragment offset != 0: transport header loads break, as the kernel's NFT_PKTINFO_L4PROTO unset. */
    public boolean fragment;
    public int nfproto;
    /** skb->protocol: the EtherType of the network header (host order), 0 when unknown. */
    public int protocol;
    public int l4proto = -1;
    public int hook;
    public int iif, oif;
    public String iifName = "", oifName = "";
    /** Names as the kernel stores them: IFNAMSIZ (16) bytes, NUL-padded. */
    public final byte[] iifNameBytes = new byte[16], oifNameBytes = new byte[16];
    public int iifType = 1, oifType = 1;
    public int mark;
    public int pkttype;
    public int priority;
    public long timestampNanos;
    /** Conntrack view filled by the pipeline once conntrack exists; 0 state bits = no entry. */
    public int ctState;
    public int ctStatus;
    public int ctMark;
    public int ctDirection;
    public boolean ctPresent;
    /** The packet's conntrack attachment (skb->_nfct), for the keys beyond state/status/mark/direction. */
    public org.jnft.conntrack.PacketCt ct;
    public boolean notrack;

    public void setIif(int index, String name) {
        iif = index;
        iifName = name;
        fillName(iifNameBytes, name);
    }

    public void setOif(int index, String name) {
        oif = index;
        oifName = name;
        fillName(oifNameBytes, name);
    }

    private static void fillName(byte[] dst, String name) {
        java.util.Arrays.fill(dst, (byte) 0);
        for (int i = 0; i < Math.min(15, name.length()); i++) dst[i] = (byte) name.charAt(i);
    }

    public int byteAt(int off) {
        return segment.get(java.lang.foreign.ValueLayout.JAVA_BYTE, frameOffset + off) & 0xff;
    }

    public void setByteAt(int off, int v) {
        segment.set(java.lang.foreign.ValueLayout.JAVA_BYTE, frameOffset + off, (byte) v);
    }
}
