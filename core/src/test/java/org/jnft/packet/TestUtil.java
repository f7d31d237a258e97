package org.jnft.packet;

import java.lang.foreign.MemorySegment;
import java.util.HexFormat;

final class TestUtil {
    private TestUtil() {
    }

    static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replaceAll("\\s+", ""));
    }

    static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }

    static MemorySegment seg(byte[] b) {
        return MemorySegment.ofArray(b);
    }

    static MemorySegment seg(String hex) {
        return MemorySegment.ofArray(hex(hex));
    }
}
