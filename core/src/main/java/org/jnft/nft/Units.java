package org.jnft.nft;

/** Time strings ({@code 1h30m}, {@code 10s}) and byte units ({@code kbytes}, {@code mbytes}). */
final class Units {
    private Units() {}

    static long timeMs(TokenStream ts, Token t) {
        if (t.kind() == Token.Kind.NUMBER) return Long.parseLong(t.text()) * 1000;
        long v = parseTime(t.text());
        if (v < 0) throw ts.error(t.loc(), "Wrong time format");
        return v;
    }

    /** Milliseconds of {@code 1d2h3m4s5ms}, or -1. */
    static long parseTime(String s) {
        long total = 0;
        int i = 0;
        while (i < s.length()) {
            int j = i;
            while (j < s.length() && Character.isDigit(s.charAt(j))) j++;
            int k = j;
            while (k < s.length() && Character.isLetter(s.charAt(k))) k++;
            if (j == i || k == j) return -1;
            long n = Long.parseLong(s.substring(i, j));
            total += switch (s.substring(j, k)) {
                case "d" -> n * 86_400_000L;
                case "h" -> n * 3_600_000L;
                case "m" -> n * 60_000L;
                case "s" -> n * 1000L;
                case "ms" -> n;
                default -> Long.MIN_VALUE / 2;
            };
            i = k;
        }
        return total < 0 ? -1 : total;
    }

    static long bytes(String unit) {
        return switch (unit) {
            case "bytes" -> 1;
            case "kbytes" -> 1024;
            case "mbytes" -> 1024 * 1024;
            case "gbytes" -> 1024L * 1024 * 1024;
            default -> -1;
        };
    }

    static String unitName(long s) {
        return s == 1 ? "second" : s == 60 ? "minute" : s == 3600 ? "hour" : s == 86400 ? "day" : "week";
    }

    static long seconds(String unit) {
        return switch (unit) {
            case "second" -> 1;
            case "minute" -> 60;
            case "hour" -> 3600;
            case "day" -> 86400;
            case "week" -> 604800;
            default -> -1;
        };
    }
}
