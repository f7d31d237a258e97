package org.jnft.route;

/**
 * Address text and bit helpers for the route package (package-private: org.jnft.packet has the public
 * ones). Parsers throw {@link IllegalArgumentException} with a short reason.
 */
final class Inet {
    private Inet() {
    }

    /** IPv4 netmask for a prefix length 0..32. */
    static int mask4(int plen) {
        return plen == 0 ? 0 : -1 << (32 - plen);
    }

    /** High 64 bits of the IPv6 netmask for a prefix length 0..128. */
    static long mask6Hi(int plen) {
        return plen == 0 ? 0 : plen >= 64 ? -1L : -1L << (64 - plen);
    }

    /** Low 64 bits of the IPv6 netmask for a prefix length 0..128. */
    static long mask6Lo(int plen) {
        return plen <= 64 ? 0 : -1L << (128 - plen);
    }

    static boolean inPrefix4(int addr, int prefix, int plen) {
        int m = mask4(plen);
        return (addr & m) == (prefix & m);
    }

    static boolean inPrefix6(long hi, long lo, long phi, long plo, int plen) {
        return ((hi ^ phi) & mask6Hi(plen)) == 0 && ((lo ^ plo) & mask6Lo(plen)) == 0;
    }

    /** fe80::/10 */
    static boolean isLinkLocal6(long hi) {
        return (hi >>> 54) == (0xfe80L >>> 6);
    }

    /** ff02::/16 (link-local multicast) and ff01::/16 (interface-local). */
    static boolean isLinkScopedMulticast6(long hi) {
        long top = hi >>> 48;
        return (top & 0xff00) == 0xff00 && ((top & 0xf) == 2 || (top & 0xf) == 1);
    }

    static boolean looksLikeIpv6(String s) {
        return s.indexOf(':') >= 0;
    }

    /** Dotted quad, each part 0..255 in decimal without leading zeros (as inet_pton). */
    static int parse4(String s) {
        int parts = 0;
        int value = 0;
        int i = 0;
        int n = s.length();
        while (true) {
            int start = i;
            int part = 0;
            while (i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
                part = part * 10 + (s.charAt(i) - '0');
                i++;
                if (part > 255) {
                    throw new IllegalArgumentException("invalid IPv4 address \"" + s + "\"");
                }
            }
            int digits = i - start;
            if (digits == 0 || (digits > 1 && s.charAt(start) == '0')) {
                throw new IllegalArgumentException("invalid IPv4 address \"" + s + "\"");
            }
            value = value << 8 | part;
            parts++;
            if (parts == 4) {
                if (i != n) {
                    throw new IllegalArgumentException("invalid IPv4 address \"" + s + "\"");
                }
                return value;
            }
            if (i >= n || s.charAt(i) != '.') {
                throw new IllegalArgumentException("invalid IPv4 address \"" + s + "\"");
            }
            i++;
        }
    }

    /** RFC 4291 text form (with "::" and a dotted-quad tail); returns {hi, lo}. */
    static long[] parse6(String s) {
        IllegalArgumentException bad = new IllegalArgumentException("invalid IPv6 address \"" + s + "\"");
        int dc = s.indexOf("::");
        if (dc >= 0 && s.indexOf("::", dc + 1) >= 0) {
            throw bad;
        }
        int[] head = new int[8];
        int[] tail = new int[8];
        int nh;
        int nt = 0;
        if (dc < 0) {
            nh = groups(s, head, true, bad);
            if (nh != 8) {
                throw bad;
            }
        } else {
            nh = groups(s.substring(0, dc), head, false, bad);
            nt = groups(s.substring(dc + 2), tail, true, bad);
            if (nh + nt > 7) {
                throw bad;
            }
        }
        int[] g = new int[8];
        System.arraycopy(head, 0, g, 0, nh);
        System.arraycopy(tail, 0, g, 8 - nt, nt);
        long hi = 0;
        long lo = 0;
        for (int k = 0; k < 4; k++) {
            hi = hi << 16 | g[k];
            lo = lo << 16 | g[k + 4];
        }
        return new long[] {hi, lo};
    }

    private static int groups(String part, int[] out, boolean v4Tail, IllegalArgumentException bad) {
        if (part.isEmpty()) {
            return 0;
        }
        String[] f = part.split(":", -1);
        int n = 0;
        for (int i = 0; i < f.length; i++) {
            String x = f[i];
            if (i == f.length - 1 && v4Tail && x.indexOf('.') >= 0) {
                int v4;
                try {
                    v4 = parse4(x);
                } catch (IllegalArgumentException e) {
                    throw bad;
                }
                if (n + 2 > 8) {
                    throw bad;
                }
                out[n++] = v4 >>> 16;
                out[n++] = v4 & 0xffff;
                continue;
            }
            if (x.isEmpty() || x.length() > 4 || n == 8) {
                throw bad;
            }
            int v = 0;
            for (int k = 0; k < x.length(); k++) {
                int d = Character.digit(x.charAt(k), 16);
                if (d < 0) {
                    throw bad;
                }
                v = v << 4 | d;
            }
            out[n++] = v;
        }
        return n;
    }

    /** Dotted-quad text of an IPv4 address. */
    static String format4(int a) {
        return (a >>> 24) + "." + (a >>> 16 & 0xff) + "." + (a >>> 8 & 0xff) + "." + (a & 0xff);
    }

    /** RFC 5952 text form, as inet_ntop prints it (IPv4-mapped and -compatible tails as dotted quads). */
    static String format6(long hi, long lo) {
        int[] g = new int[8];
        for (int k = 0; k < 4; k++) {
            g[k] = (int) (hi >>> (48 - 16 * k)) & 0xffff;
            g[k + 4] = (int) (lo >>> (48 - 16 * k)) & 0xffff;
        }
        if (hi == 0 && (lo >>> 32) == 0xffffL) {
            return "::ffff:" + format4((int) lo);
        }
        int best = -1;
        int bestLen = 1;
        for (int i = 0; i < 8; ) {
            if (g[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && g[j] == 0) {
                j++;
            }
            if (j - i > bestLen) {
                best = i;
                bestLen = j - i;
            }
            i = j;
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == best) {
                sb.append("::");
                i += bestLen - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
                sb.append(':');
            }
            sb.append(Integer.toHexString(g[i]));
        }
        return sb.toString();
    }

    /** Six 1- or 2-digit hex octets separated by ':' (as iproute2's ll_addr_a2n for Ethernet). */
    static long parseMac(String s) {
        String[] p = s.split(":", -1);
        if (p.length != 6) {
            throw new IllegalArgumentException("invalid MAC address \"" + s + "\"");
        }
        long mac = 0;
        for (String x : p) {
            if (x.isEmpty() || x.length() > 2) {
                throw new IllegalArgumentException("invalid MAC address \"" + s + "\"");
            }
            int v = 0;
            for (int k = 0; k < x.length(); k++) {
                int d = Character.digit(x.charAt(k), 16);
                if (d < 0) {
                    throw new IllegalArgumentException("invalid MAC address \"" + s + "\"");
                }
                v = v << 4 | d;
            }
            mac = mac << 8 | v;
        }
        return mac;
    }

    static String formatMac(long mac) {
        StringBuilder sb = new StringBuilder(17);
        for (int i = 5; i >= 0; i--) {
            int b = (int) (mac >>> (8 * i)) & 0xff;
            sb.append(Character.forDigit(b >> 4, 16)).append(Character.forDigit(b & 15, 16));
            if (i > 0) {
                sb.append(':');
            }
        }
        return sb.toString();
    }

    /**
     * Interface identifier of the EUI-64 link-local address for an Ethernet MAC, as Linux's
     * addrconf_ifid_eui48: the MAC's first three octets with the universal/local bit inverted, ff:fe, then
     * its last three octets.
     */
    static long eui64(long mac) {
        long hi3 = (mac >>> 24) & 0xffffffL;
        long lo3 = mac & 0xffffffL;
        hi3 ^= 0x020000L;
        return hi3 << 40 | 0xfffeL << 24 | lo3;
    }

    static final long LINK_LOCAL_HI = 0xfe80_0000_0000_0000L;
}
