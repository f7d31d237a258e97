package org.jnft.nft;

import java.util.LinkedHashMap;
import java.util.Map;

/** IPv6 extension header templates: header type number and fields (bit offset, bit length, type). */
final class ExtHeaders {
    private ExtHeaders() {}

    record Header(String name, int type, Map<String, Proto.Field> fields) {}

    static final Map<String, Header> BY_NAME = new LinkedHashMap<>();

    private static void h(String name, int type, Object... f) {
        Map<String, Proto.Field> m = new LinkedHashMap<>();
        for (int i = 0; i < f.length; i += 3) {
            int bits = (Integer) f[i + 2];
            DataType t = f[i].equals("nexthdr") ? DataType.INET_PROTO.numeric() : DataType.integer(bits, false);
            m.put((String) f[i], new Proto.Field((String) f[i], (Integer) f[i + 1], bits, t));
        }
        BY_NAME.put(name, new Header(name, type, m));
    }

    static {
        h("hbh", 0, "nexthdr", 0, 8, "hdrlength", 8, 8);
        h("rt", 43, "nexthdr", 0, 8, "hdrlength", 8, 8, "type", 16, 8, "seg-left", 24, 8);
        h("frag", 44, "nexthdr", 0, 8, "reserved", 8, 8, "frag-off", 16, 13, "reserved2", 29, 2,
                "more-fragments", 31, 1, "id", 32, 32);
        h("dst", 60, "nexthdr", 0, 8, "hdrlength", 8, 8);
        h("mh", 135, "nexthdr", 0, 8, "hdrlength", 8, 8, "type", 16, 8, "reserved", 24, 8, "checksum", 32, 16);
    }
}
