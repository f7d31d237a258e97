package org.jnft.nft;

import java.math.BigInteger;

/** Parses symbols ({@link Node.Sym}) into register bytes of a data type, with nft's error messages. */
final class Constants {
    private Constants() {}

    /** The index of an interface name in the current namespace ({@link Interfaces}), or -1. */
    static int ifindex(String name) {
        return Interfaces.current().index(name);
    }

    static byte[] parse(Node.Sym s, DataType t) {
        String x = s.text();
        return switch (t.kind) {
            case IPV4 -> {
                if (s.kind() == Token.Kind.NUMBER) yield integer(s, DataType.integer(32, false));
                byte[] b = Addr.parseIpv4(x);
                if (b == null && Addr.parseIpv6(x) != null) {
                    throw new EvalError(s.loc(), "Could not resolve hostname: Address family for hostname not supported");
                }
                if (b == null) throw new EvalError(s.loc(), s.kind() == Token.Kind.WORD
                        ? "Could not resolve hostname: Name or service not known" : "Could not parse IPv4 address");
                yield b;
            }
            case IPV6 -> {
                if (s.kind() == Token.Kind.NUMBER) yield integer(s, DataType.integer(128, false));
                byte[] b = Addr.parseIpv6(x);
                if (b == null && Addr.parseIpv4(x) != null) {
                    throw new EvalError(s.loc(), "Could not resolve hostname: Address family for hostname not supported");
                }
                if (b == null) throw new EvalError(s.loc(), s.kind() == Token.Kind.WORD
                        ? "Could not resolve hostname: Name or service not known" : "Could not parse IPv6 address");
                yield b;
            }
            case MAC -> {
                if (!Addr.isMac(x)) throw new EvalError(s.loc(), "Could not parse Ethernet address");
                yield Addr.parseMac(x);
            }
            case STRING -> {
                if (x.isEmpty()) throw new EvalError(s.loc(), "Empty string is not allowed");
                if (x.endsWith("\\*")) x = x.substring(0, x.length() - 2) + "*";
                byte[] b = new byte[t.bytes()];
                byte[] src = x.getBytes(java.nio.charset.StandardCharsets.UTF_8);
                if (src.length > b.length) throw new EvalError(s.loc(), "String exceeds maximum length of " + b.length);
                System.arraycopy(src, 0, b, 0, src.length);
                yield b;
            }
            default -> integer(s, t);
        };
    }

    static byte[] integer(Node.Sym s, DataType t) {
        if (t == DataType.IFACE_INDEX) {
            if (s.kind() != Token.Kind.NUMBER) {
                int idx = ifindex(s.text());
                if (idx < 0) throw new EvalError(s.loc(), "Interface does not exist");
                return org.jnft.vm.Data.ofInt(idx, 4, false);
            }
        }
        String x = s.text();
        if (t == DataType.INVALID) throw new EvalError(s.loc(), "Can't parse symbolic invalid expressions");
        if (t.name.equals("time") && s.kind() == Token.Kind.WORD) {
            long ms = Units.parseTime(x);
            if (ms < 0) throw new EvalError(s.loc(), "Wrong time format");
            return org.jnft.vm.Data.ofInt(ms, t.bytes(), !t.host);
        }
        BigInteger v;
        if (t.name.equals("time") && s.kind() == Token.Kind.NUMBER) {
            // A bare number of a time type is in seconds.
            return org.jnft.vm.Data.ofInt(Long.parseLong(x) * 1000, t.bytes(), !t.host);
        }
        if (s.kind() == Token.Kind.NUMBER) {
            boolean neg = x.startsWith("-");
            String y = neg ? x.substring(1) : x;
            v = y.startsWith("0x") || y.startsWith("0X") ? new BigInteger(y.substring(2), 16) : new BigInteger(y);
            if (neg) v = v.negate();
        } else {
            Long sym = t.symbols.get(x);
            if (sym == null) {
                String msg = t.symbolError != null ? t.symbolError : "Could not parse " + t.desc;
                throw new EvalError(s.loc(), msg);
            }
            v = BigInteger.valueOf(sym);
        }
        int bits = t.bits == 0 ? 64 : t.bits;
        BigInteger max = BigInteger.ONE.shiftLeft(bits).subtract(BigInteger.ONE);
        if (v.signum() < 0 || v.compareTo(max) > 0) {
            throw new EvalError(s.loc(), "Value " + x + " exceeds valid range 0-" + max);
        }
        int n = t.bytes() == 0 ? 8 : t.bytes();
        byte[] big = Linearizer.toBytes(v, n);
        if (!t.host) return big;
        byte[] le = new byte[n];
        for (int i = 0; i < n; i++) le[i] = big[n - 1 - i];
        return le;
    }

    /** Integer value of register bytes in the type's order. */
    static long value(byte[] b, DataType t) {
        long v = 0;
        for (int i = 0; i < b.length; i++) {
            int k = t.host ? b.length - 1 - i : i;
            v = v << 8 | (b[k] & 0xff);
        }
        return v;
    }

    static byte[] or(byte[] a, byte[] b) {
        byte[] r = a.clone();
        for (int i = 0; i < r.length; i++) r[i] |= b[i];
        return r;
    }

    /** Network-order bytes of a host-order value (per unit of {@code size} bytes). */
    static byte[] toBig(byte[] host, int size) {
        byte[] r = host.clone();
        for (int u = 0; u + size <= r.length; u += size) {
            for (int i = 0; i < size; i++) r[u + i] = host[u + size - 1 - i];
        }
        return r;
    }

    static byte[] plusOne(byte[] b) {
        byte[] r = b.clone();
        for (int i = r.length - 1; i >= 0; i--) {
            if (++r[i] != 0) return r;
        }
        return null;
    }

    static int compare(byte[] a, byte[] b) {
        return org.jnft.vm.Data.compare(a, 0, b, b.length);
    }

    /** Prefix mask of {@code bits} over {@code len} bytes. */
    static byte[] prefixMask(int bits, int len) {
        byte[] m = new byte[len];
        for (int i = 0; i < len; i++) {
            int b = Math.max(0, Math.min(8, bits - 8 * i));
            m[i] = (byte) (0xff << (8 - b));
        }
        return m;
    }
}
