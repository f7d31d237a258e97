package org.jnft.nft;

import java.util.LinkedHashMap;
import java.util.Map;

/** TCP option templates: option kind and fields (byte offset and length within the option). */
final class TcpOptions {
    private TcpOptions() {}

    record Field(int offset, int len) {}

    record Option(String name, int kind, Map<String, Field> fields) {}

    static final Map<String, Option> BY_NAME = new LinkedHashMap<>();

    private static void o(String name, int kind, Object... f) {
        Map<String, Field> m = new LinkedHashMap<>();
        m.put("kind", new Field(0, 1));
        if (kind > 1) m.put("length", new Field(1, 1));
        for (int i = 0; i < f.length; i += 3) m.put((String) f[i], new Field((Integer) f[i + 1], (Integer) f[i + 2]));
        BY_NAME.put(name, new Option(name, kind, m));
    }

    static {
        o("eol", 0);
        o("nop", 1);
        o("maxseg", 2, "size", 2, 2);
        o("window", 3, "count", 2, 1);
        o("sack-perm", 4);
        o("sack", 5, "left", 2, 4, "right", 6, 4);
        o("sack0", 5, "left", 2, 4, "right", 6, 4);
        o("sack1", 5, "left", 10, 4, "right", 14, 4);
        o("sack2", 5, "left", 18, 4, "right", 22, 4);
        o("sack3", 5, "left", 26, 4, "right", 30, 4);
        o("timestamp", 8, "tsval", 2, 4, "tsecr", 6, 4);
        o("md5sig", 19);
        o("mptcp", 30);
        o("fastopen", 34);
    }

    /** The option named (or numbered 0-255) {@code name}, or null. */
    static Option find(String name) {
        Option o = BY_NAME.get(name);
        if (o == null && name.chars().allMatch(Character::isDigit) && !name.isEmpty()) {
            int kind = Integer.parseInt(name);
            if (kind <= 255) {
                Map<String, Field> m = new LinkedHashMap<>();
                m.put("kind", new Field(0, 1));
                m.put("length", new Field(1, 1));
                o = new Option(name, kind, m);
            }
        }
        return o;
    }

    /** The name nft lists: sack0 is listed as sack. */
    static String listedName(int kind, int offset, String given) {
        if (kind == 5 && offset <= 6) return "sack";
        return given.equals("sack0") ? "sack" : given;
    }
}
