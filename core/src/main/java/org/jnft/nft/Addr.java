package org.jnft.nft;

/** Address text forms: parsing IPv4/IPv6/MAC into network-order bytes, and printing them back. */
final class Addr {
    private Addr() {}

    static byte[] parseIpv4(String t) {
        String[] p = t.split("\\.", -1);
        if (p.length != 4) return null;
        byte[] b = new byte[4];
        for (int k = 0; k < 4; k++) {
            if (p[k].isEmpty() || p[k].length() > 3 || !p[k].chars().allMatch(Character::isDigit)) return null;
            int v = Integer.parseInt(p[k]);
            if (v > 255) return null;
            b[k] = (byte) v;
        }
        return b;
    }

    static byte[] parseIpv6(String t) {
        if (t.isEmpty() || t.indexOf(':') < 0) return null;
        int dbl = t.indexOf("::");
        if (dbl >= 0 && t.indexOf("::", dbl + 1) >= 0) return null;
        String head = dbl >= 0 ? t.substring(0, dbl) : t;
        String tail = dbl >= 0 ? t.substring(dbl + 2) : "";
        byte[] hb = groups(head), tb = groups(tail);
        if (hb == null || tb == null) return null;
        if (dbl < 0 && hb.length != 16) return null;
        if (dbl >= 0 && hb.length + tb.length > 14) return null;
        byte[] r = new byte[16];
        System.arraycopy(hb, 0, r, 0, hb.length);
        System.arraycopy(tb, 0, r, 16 - tb.length, tb.length);
        return r;
    }

    private static byte[] groups(String part) {
        if (part.isEmpty()) return new byte[0];
        String[] g = part.split(":", -1);
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (int k = 0; k < g.length; k++) {
            String x = g[k];
            if (k == g.length - 1 && x.indexOf('.') >= 0) {
                byte[] v4 = parseIpv4(x);
                if (v4 == null) return null;
                out.writeBytes(v4);
                continue;
            }
            if (x.isEmpty() || x.length() > 4) return null;
            for (char c : x.toCharArray()) if (Character.digit(c, 16) < 0) return null;
            int v = Integer.parseInt(x, 16);
            out.write(v >> 8);
            out.write(v);
        }
        return out.toByteArray();
    }

    static boolean isMac(String t) {
        String[] p = t.split(":", -1);
        if (p.length != 6) return false;
        for (String x : p) {
            if (x.isEmpty() || x.length() > 2) return false;
            for (char c : x.toCharArray()) if (Character.digit(c, 16) < 0) return false;
        }
        return true;
    }

    static byte[] parseMac(String t) {
        String[] p = t.split(":");
        byte[] b = new byte[6];
        for (int k = 0; k < 6; k++) b[k] = (byte) Integer.parseInt(p[k], 16);
        return b;
    }

    static String ipv4(byte[] b, int off) {
        return (b[off] & 0xff) + "." + (b[off + 1] & 0xff) + "." + (b[off + 2] & 0xff) + "." + (b[off + 3] & 0xff);
    }

    /** RFC 5952 text, as inet_ntop prints it. */
    static String ipv6(byte[] b, int off) {
        int[] w = new int[8];
        for (int k = 0; k < 8; k++) w[k] = (b[off + 2 * k] & 0xff) << 8 | (b[off + 2 * k + 1] & 0xff);
        int bestS = -1, bestL = 0;
        for (int k = 0; k < 8; ) {
            if (w[k] != 0) { k++; continue; }
            int e = k;
            while (e < 8 && w[e] == 0) e++;
            if (e - k > bestL && e - k >= 2) { bestS = k; bestL = e - k; }
            k = e;
        }
        if (bestS == 0 && (bestL == 6 || (bestL == 5 && w[5] == 0xffff))) {
            return "::" + (bestL == 5 ? "ffff:" : "") + ipv4(b, off + 12);
        }
        StringBuilder sb = new StringBuilder();
        for (int k = 0; k < 8; k++) {
            if (k == bestS) {
                sb.append("::");
                k += bestL - 1;
                continue;
            }
            if (!sb.isEmpty() && sb.charAt(sb.length() - 1) != ':') sb.append(':');
            sb.append(Integer.toHexString(w[k]));
        }
        return sb.toString();
    }

    static String mac(byte[] b, int off) {
        StringBuilder sb = new StringBuilder();
        for (int k = 0; k < 6; k++) {
            if (k > 0) sb.append(':');
            sb.append(String.format("%02x", b[off + k] & 0xff));
        }
        return sb.toString();
    }
}
