package org.jnft.packet;

/**
 * Text forms of MAC, IPv4 and IPv6 addresses, to and from the primitive representations used on the
 * data plane (MAC: low 48 bits of a long; IPv4: an int; IPv6: two longs hi/lo). For configuration files,
 * listings and tests, not the data plane: parsing throws {@link IllegalArgumentException} naming the
 * offending text.
 */
public final class Addresses {
    private static final long LINK_LOCAL_HI = 0xfe80_0000_0000_0000L;

    private Addresses() {
    }

    // ---------------------------------------------------------------- MAC

    /**
     * Parses a MAC address: six groups of one or two hex digits separated by ':' (or all by '-'), as
     * iproute2 accepts in {@code address}/{@code lladdr}; case-insensitive.
     */
    public static long parseMac(String text) {
        if (text == null) {
            throw new IllegalArgumentException("invalid MAC address: null");
        }
        long mac = 0;
        int groups = 0;
        int i = 0;
        int n = text.length();
        char sep = 0;
        while (true) {
            int digits = 0;
            int v = 0;
            while (i < n && digits < 3) {
                int d = Character.digit(text.charAt(i), 16);
                if (d < 0 || !isAsciiHex(text.charAt(i))) {
                    break;
                }
                v = v * 16 + d;
                digits++;
                i++;
            }
            if (digits == 0 || digits > 2) {
                throw badMac(text);
            }
            mac = (mac << 8) | v;
            groups++;
            if (groups == 6) {
                break;
            }
            if (i >= n) {
                throw badMac(text);
            }
            char c = text.charAt(i);
            if ((c != ':' && c != '-') || (sep != 0 && c != sep)) {
                throw badMac(text);
            }
            sep = c;
            i++;
        }
        if (i != n) {
            throw badMac(text);
        }
        return mac;
    }

    private static IllegalArgumentException badMac(String text) {
        return new IllegalArgumentException("invalid MAC address: \"" + text + "\" (expected aa:bb:cc:dd:ee:ff)");
    }

    private static boolean isAsciiHex(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    /** Lowercase, colon-separated, two digits a group: {@code 02:00:00:00:00:01}. */
    public static String formatMac(long mac) {
        StringBuilder sb = new StringBuilder(17);
        for (int shift = 40; shift >= 0; shift -= 8) {
            int b = (int) (mac >>> shift) & 0xff;
            sb.append(Character.forDigit(b >>> 4, 16)).append(Character.forDigit(b & 15, 16));
            if (shift > 0) {
                sb.append(':');
            }
        }
        return sb.toString();
    }

    // ---------------------------------------------------------------- IPv4

    /**
     * Parses dotted-quad IPv4 text as {@code inet_pton(AF_INET)} does: exactly four decimal parts
     * 0..255, no leading zeros (they would be octal to inet_aton), nothing else.
     */
    public static int parseIpv4(String text) {
        if (text == null) {
            throw new IllegalArgumentException("invalid IPv4 address: null");
        }
        int v = parseIpv4(text, 0, text.length());
        if (v == -1 && !"255.255.255.255".equals(text)) {
            throw new IllegalArgumentException("invalid IPv4 address: \"" + text + "\"");
        }
        return v;
    }

    /** Parses {@code text[from, to)}; returns -1 on error (255.255.255.255 must be told apart by the caller). */
    private static int parseIpv4(String text, int from, int to) {
        int addr = 0;
        int parts = 0;
        int i = from;
        while (true) {
            int start = i;
            int v = 0;
            while (i < to && text.charAt(i) >= '0' && text.charAt(i) <= '9') {
                v = v * 10 + (text.charAt(i) - '0');
                i++;
                if (v > 255) {
                    return -1;
                }
            }
            int digits = i - start;
            if (digits == 0 || (digits > 1 && text.charAt(start) == '0')) {
                return -1;
            }
            addr = (addr << 8) | v;
            parts++;
            if (parts == 4) {
                return i == to ? addr : -1;
            }
            if (i >= to || text.charAt(i) != '.') {
                return -1;
            }
            i++;
        }
    }

    private static boolean validIpv4(String text, int from, int to) {
        int v = parseIpv4(text, from, to);
        return v != -1 || text.substring(from, to).equals("255.255.255.255");
    }

    public static String formatIpv4(int addr) {
        return (addr >>> 24) + "." + ((addr >>> 16) & 0xff) + "." + ((addr >>> 8) & 0xff) + "." + (addr & 0xff);
    }

    // ---------------------------------------------------------------- IPv6

    /**
     * Parses IPv6 text in every RFC 4291 section 2.2 form: eight groups of 1-4 hex digits, one "::" for
     * a run of zero groups, and a dotted-quad IPv4 address in place of the last two groups. Returns
     * {@code {hi, lo}}. Zone indexes ({@code %eth0}) and prefix lengths are not accepted.
     */
    public static long[] parseIpv6(String text) {
        if (text == null) {
            throw new IllegalArgumentException("invalid IPv6 address: null");
        }
        int[] words = new int[8];
        int n = text.length();
        int count = 0;
        int gap = -1; // index in words where "::" sits
        int i = 0;
        if (n >= 2 && text.startsWith("::")) {
            gap = 0;
            i = 2;
            if (n == 2) {
                return new long[] {0, 0};
            }
        } else if (n > 0 && text.charAt(0) == ':') {
            throw badV6(text, "leading ':'");
        }
        while (true) {
            if (i >= n) {
                throw badV6(text, "trailing ':'");
            }
            int start = i;
            int v = 0;
            while (i < n && isAsciiHex(text.charAt(i)) && i - start < 5) {
                v = v * 16 + Character.digit(text.charAt(i), 16);
                i++;
            }
            int digits = i - start;
            if (i < n && text.charAt(i) == '.') {
                // embedded IPv4: the rest of the text
                if (count > 6) {
                    throw badV6(text, "too many groups");
                }
                if (!validIpv4(text, start, n)) {
                    throw badV6(text, "bad embedded IPv4 address");
                }
                int v4 = parseIpv4(text, start, n);
                words[count++] = v4 >>> 16;
                words[count++] = v4 & 0xffff;
                break;
            }
            if (digits == 0) {
                throw badV6(text, "empty group");
            }
            if (digits > 4) {
                throw badV6(text, "group longer than 4 hex digits");
            }
            if (count == 8) {
                throw badV6(text, "too many groups");
            }
            words[count++] = v;
            if (i == n) {
                break;
            }
            if (text.charAt(i) != ':') {
                throw badV6(text, "unexpected character '" + text.charAt(i) + "'");
            }
            i++;
            if (i < n && text.charAt(i) == ':') {
                if (gap >= 0) {
                    throw badV6(text, "more than one '::'");
                }
                gap = count;
                i++;
                if (i == n) {
                    break;
                }
            }
        }
        if (gap >= 0) {
            if (count > 7) {
                throw badV6(text, "'::' with eight groups");
            }
            int tail = count - gap;
            System.arraycopy(words, gap, words, 8 - tail, tail);
            for (int k = gap; k < 8 - tail; k++) {
                words[k] = 0;
            }
        } else if (count != 8) {
            throw badV6(text, "fewer than eight groups");
        }
        long hi = 0;
        long lo = 0;
        for (int k = 0; k < 4; k++) {
            hi = (hi << 16) | words[k];
            lo = (lo << 16) | words[k + 4];
        }
        return new long[] {hi, lo};
    }

    private static IllegalArgumentException badV6(String text, String why) {
        return new IllegalArgumentException("invalid IPv6 address: \"" + text + "\" (" + why + ")");
    }

    /**
     * Formats as glibc's {@code inet_ntop(AF_INET6)}: lowercase hex without leading zeros; the longest
     * run of two or more zero groups (the leftmost on a tie) becomes "::"; when the first five groups are
     * zero and the sixth is ffff (IPv4-mapped), or the first six are zero and the seventh is not
     * (IPv4-compatible), the last 32 bits are printed as a dotted quad: {@code ::ffff:192.0.2.1},
     * {@code ::192.0.2.1}.
     */
    public static String formatIpv6(long hi, long lo) {
        int[] w = new int[8];
        for (int k = 0; k < 4; k++) {
            w[k] = (int) (hi >>> (48 - 16 * k)) & 0xffff;
            w[k + 4] = (int) (lo >>> (48 - 16 * k)) & 0xffff;
        }
        int bestBase = -1;
        int bestLen = 0;
        int curBase = -1;
        int curLen = 0;
        for (int k = 0; k < 8; k++) {
            if (w[k] == 0) {
                if (curBase < 0) {
                    curBase = k;
                    curLen = 1;
                } else {
                    curLen++;
                }
            } else if (curBase >= 0) {
                if (bestBase < 0 || curLen > bestLen) {
                    bestBase = curBase;
                    bestLen = curLen;
                }
                curBase = -1;
            }
        }
        if (curBase >= 0 && (bestBase < 0 || curLen > bestLen)) {
            bestBase = curBase;
            bestLen = curLen;
        }
        if (bestBase >= 0 && bestLen < 2) {
            bestBase = -1;
        }
        StringBuilder sb = new StringBuilder(39);
        for (int k = 0; k < 8; k++) {
            if (bestBase >= 0 && k >= bestBase && k < bestBase + bestLen) {
                if (k == bestBase) {
                    sb.append(':');
                }
                continue;
            }
            if (k != 0) {
                sb.append(':');
            }
            if (k == 6 && bestBase == 0 && (bestLen == 6 || (bestLen == 5 && w[5] == 0xffff))) {
                sb.append(formatIpv4((int) lo));
                return sb.toString();
            }
            sb.append(Integer.toHexString(w[k]));
        }
        if (bestBase >= 0 && bestBase + bestLen == 8) {
            sb.append(':');
        }
        return sb.toString();
    }

    /**
     * The fe80::/64 link-local address Linux's addrconf derives from a MAC (modified EUI-64, RFC 4291
     * appendix A): the MAC's first three octets with the universal/local bit (0x02) inverted, ff:fe,
     * the last three octets. Returns {@code {hi, lo}}.
     */
    public static long[] eui64LinkLocal(long mac) {
        long oui = (mac >>> 24) & 0xff_ffffL;
        long nic = mac & 0xff_ffffL;
        long lo = (oui << 40) | (0xfffeL << 24) | nic;
        lo ^= 0x0200_0000_0000_0000L;
        return new long[] {LINK_LOCAL_HI, lo};
    }
}
