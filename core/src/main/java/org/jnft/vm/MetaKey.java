package org.jnft.vm;

/** Meta keys in the kernel's NFT_META_* order, with libnftnl's names. */
public enum MetaKey {
    LEN("len"), PROTOCOL("protocol"), PRIORITY("priority"), MARK("mark"), IIF("iif"), OIF("oif"),
    IIFNAME("iifname"), OIFNAME("oifname"), IIFTYPE("iiftype"), OIFTYPE("oiftype"), SKUID("skuid"),
    SKGID("skgid"), NFTRACE("nftrace"), RTCLASSID("rtclassid"), SECMARK("secmark"), NFPROTO("nfproto"),
    L4PROTO("l4proto"), BRI_IIFNAME("bri_iifname"), BRI_OIFNAME("bri_oifname"), PKTTYPE("pkttype"),
    CPU("cpu"), IIFGROUP("iifgroup"), OIFGROUP("oifgroup"), CGROUP("cgroup"), PRANDOM("prandom"),
    SECPATH("secpath"), IIFKIND("iifkind"), OIFKIND("oifkind"), BRI_IIFPVID("bri_iifpvid"),
    BRI_IIFVPROTO("bri_iifvproto"), TIME_NS("time"), TIME_DAY("day"), TIME_HOUR("hour"), SDIF("sdif"),
    SDIFNAME("sdifname");

    public final String text;

    MetaKey(String text) {
        this.text = text;
    }
}
