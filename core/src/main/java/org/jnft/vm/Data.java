package org.jnft.vm;

/** Register data helpers: libnftnl's text form of register values and byte-array utilities. */
public final class Data {
    private Data() {}

    /** The 32-bit words of {@code v} read in host (little-endian) order, as libnftnl prints them. */
    public static int[] words(byte[] v) {
        int n = Math.max(1, (v.length + 3) / 4);
        int[] w = new int[n];
        for (int i = 0; i < v.length; i++) {
            w[i / 4] |= (v[i] & 0xff) << (8 * (i % 4));
        }
        return w;
    }

    /** {@code 0x0000000a 0x00000000}: the form used by cmp, immediate and bitwise. */
    public static String hex(byte[] v) {
        StringBuilder sb = new StringBuilder();
        for (int w : words(v)) {
            if (!sb.isEmpty()) sb.append(' ');
            sb.append("0x");
            word(sb, w);
        }
        return sb.toString();
    }

    /** {@code 0000000a 00000000}: the form used by set element lines. */
    public static String plainHex(byte[] v) {
        StringBuilder sb = new StringBuilder();
        for (int w : words(v)) {
            if (!sb.isEmpty()) sb.append(' ');
            word(sb, w);
        }
        return sb.toString();
    }

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private static void word(StringBuilder sb, int w) {
        for (int shift = 28; shift >= 0; shift -= 4) sb.append(HEX[(w >>> shift) & 0xf]);
    }

    public static byte[] ofInt(long value, int bytes, boolean bigEndian) {
        byte[] b = new byte[bytes];
        for (int i = 0; i < bytes; i++) {
            int shift = 8 * (bigEndian ? bytes - 1 - i : i);
            b[i] = (byte) (shift >= 64 ? 0 : value >>> shift);
        }
        return b;
    }

    public static int compare(byte[] a, int aOff, byte[] b, int len) {
        for (int i = 0; i < len; i++) {
            int x = a[aOff + i] & 0xff, y = b[i] & 0xff;
            if (x != y) return x - y;
        }
        return 0;
    }
}
