package org.jnft.nft;

import java.util.LinkedHashMap;
import java.util.Map;
import org.jnft.vm.CtKey;
import org.jnft.vm.MetaKey;

/** Meta and ct keys of the language: name to VM key and data type. */
final class Keys {
    private Keys() {}

    record MetaDef(MetaKey key, DataType type) {}

    record CtDef(CtKey key, DataType type) {}

    static final Map<String, MetaDef> META = new LinkedHashMap<>();
    static final Map<String, CtDef> CT = new LinkedHashMap<>();

    private static void m(String name, MetaKey k, DataType t) {
        META.put(name, new MetaDef(k, t));
    }

    private static void c(String name, CtKey k, DataType t) {
        CT.put(name, new CtDef(k, t));
    }

    static {
        DataType u32 = DataType.INTEGER.withBits(32);
        DataType hostU32 = DataType.integer(32, true);
        m("length", MetaKey.LEN, hostU32);
        m("protocol", MetaKey.PROTOCOL, DataType.ETHER_TYPE);
        m("priority", MetaKey.PRIORITY, hostU32);
        m("mark", MetaKey.MARK, DataType.MARK);
        m("iif", MetaKey.IIF, DataType.IFACE_INDEX);
        m("oif", MetaKey.OIF, DataType.IFACE_INDEX);
        m("iifname", MetaKey.IIFNAME, DataType.IFNAME);
        m("oifname", MetaKey.OIFNAME, DataType.IFNAME);
        m("iiftype", MetaKey.IIFTYPE, DataType.IFACE_TYPE);
        m("oiftype", MetaKey.OIFTYPE, DataType.IFACE_TYPE);
        m("skuid", MetaKey.SKUID, DataType.UID);
        m("skgid", MetaKey.SKGID, DataType.GID);
        m("nftrace", MetaKey.NFTRACE, DataType.INTEGER.withBits(1));
        m("rtclassid", MetaKey.RTCLASSID, DataType.REALM);
        m("secmark", MetaKey.SECMARK, hostU32);
        m("nfproto", MetaKey.NFPROTO, DataType.NFPROTO);
        m("l4proto", MetaKey.L4PROTO, DataType.INET_PROTO);
        m("pkttype", MetaKey.PKTTYPE, DataType.PKTTYPE);
        m("cpu", MetaKey.CPU, hostU32);
        m("iifgroup", MetaKey.IIFGROUP, DataType.DEVGROUP);
        m("oifgroup", MetaKey.OIFGROUP, DataType.DEVGROUP);
        m("cgroup", MetaKey.CGROUP, hostU32);
        m("random", MetaKey.PRANDOM, u32);
        c("state", CtKey.STATE, DataType.CT_STATE);
        c("direction", CtKey.DIRECTION, DataType.CT_DIR);
        c("status", CtKey.STATUS, DataType.CT_STATUS);
        c("mark", CtKey.MARK, DataType.MARK);
        c("expiration", CtKey.EXPIRATION, DataType.TIME);
        c("l3proto", CtKey.L3PROTOCOL, DataType.NFPROTO);
        c("protocol", CtKey.PROTOCOL, DataType.INET_PROTO);
        c("proto-src", CtKey.PROTO_SRC, DataType.INET_SERVICE);
        c("proto-dst", CtKey.PROTO_DST, DataType.INET_SERVICE);
        c("packets", CtKey.PKTS, DataType.integer(64, true));
        c("bytes", CtKey.BYTES, DataType.integer(64, true));
        c("avgpkt", CtKey.AVGPKT, DataType.integer(64, true));
        c("zone", CtKey.ZONE, DataType.integer(16, true));
        c("id", CtKey.ID, DataType.INTEGER.withBits(32));
        c("secmark", CtKey.SECMARK, hostU32);
    }
}
