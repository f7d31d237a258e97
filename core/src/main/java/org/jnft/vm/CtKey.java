package org.jnft.vm;

/** Conntrack keys in the kernel's NFT_CT_* order, with libnftnl's names. */
public enum CtKey {
    STATE("state"), DIRECTION("direction"), STATUS("status"), MARK("mark"), SECMARK("secmark"),
    EXPIRATION("expiration"), HELPER("helper"), L3PROTOCOL("l3protocol"), SRC("src"), DST("dst"),
    PROTOCOL("protocol"), PROTO_SRC("proto_src"), PROTO_DST("proto_dst"), LABELS("label"), PKTS("packets"),
    BYTES("bytes"), AVGPKT("avgpkt"), ZONE("zone"), EVENTMASK("event"), SRC_IP("src_ip"), DST_IP("dst_ip"),
    SRC_IP6("src_ip6"), DST_IP6("dst_ip6"), ID("id");

    public final String text;

    CtKey(String text) {
        this.text = text;
    }
}
