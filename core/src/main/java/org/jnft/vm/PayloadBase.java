package org.jnft.vm;

/** Payload bases (NFT_PAYLOAD_*_HEADER), named as libnftnl prints them. */
public enum PayloadBase {
    LL("link"), NH("network"), TH("transport"), INNER("inner");

    public final String text;

    PayloadBase(String text) {
        this.text = text;
    }

    /** Start of this base within the frame, or -1 when the packet has no such header. */
    int start(NftPacket p) {
        return switch (this) {
            case LL -> p.linkOffset;
            case NH -> p.networkOffset;
            case TH -> p.fragment ? -1 : p.transportOffset;
            case INNER -> -1;
        };
    }
}
