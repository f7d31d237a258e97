package org.jnft.pipeline;

/**
 * What reassembly leaves on a datagram for the output path, as Linux keeps it in the skb's control block
 * (IPCB / IP6CB) and its frag_list: {@code frag_max_size}, IPv4's {@code IPSKB_FRAG_PMTU}, IPv6's
 * {@code IP6SKB_FRAGMENTED}, and the geometry of the original fragments (conntrack's defrag does not
 * coalesce them, so {@code ip_do_fragment} / {@code ip6_fragment} can re-emit them as they came).
 * One instance travels with one packet buffer; {@link #clear()} before reuse. Never allocates.
 */
public final class FragMeta {
    /** Most fragments one datagram can have: every fragment but the last carries a multiple of 8 bytes. */
    public static final int MAX_PIECES = 65536 / 8 + 1;

    /** True when the datagram was reassembled from fragments (the rest is meaningful only then). */
    public boolean reassembled;
    /**
     * IPv4: {@code IPCB(skb)->frag_max_size} = max(largest fragment, largest DF fragment), IP header
     * included. IPv6: {@code IP6CB(skb)->frag_max_size} = 40 + the largest fragment's payload length.
     * 0 when not reassembled.
     */
    public int fragMaxSize;
    /** IPv4 {@code IPSKB_FRAG_PMTU}: the largest fragment had DF, so DF is set on the datagram and its fragments. */
    public boolean pmtu;
    /** IPv4 identification or IPv6 fragment header identification of the original fragments. */
    public int id;
    /** Number of fragments reassembled. */
    public int fragments;
    /**
     * Bytes of the reassembled IP datagram held by the head skb: IPv4 IHL*4 + the first fragment's
     * payload; IPv6 the unfragmentable part (where the fragment header was) + the first fragment's payload.
     */
    public int firstLen;
    /** Payload length of every later fragment, in offset order ({@code fragments - 1} of them). */
    public final int[] pieceLen = new int[MAX_PIECES];

    /** Forgets everything: not reassembled. */
    public void clear() {
        reassembled = false;
        fragMaxSize = 0;
        pmtu = false;
        id = 0;
        fragments = 0;
        firstLen = 0;
    }

    /** Copies {@code other} into this (for a caller that moves the datagram to another buffer). */
    public void copyFrom(FragMeta other) {
        reassembled = other.reassembled;
        fragMaxSize = other.fragMaxSize;
        pmtu = other.pmtu;
        id = other.id;
        fragments = other.fragments;
        firstLen = other.firstLen;
        if (fragments > 1) {
            System.arraycopy(other.pieceLen, 0, pieceLen, 0, fragments - 1);
        }
    }
}
