package org.jnft.nft;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Register bytes back to nft's text for a data type (addresses, symbols, marks, flags, times). */
final class ValueText {
    private ValueText() {}

    static String of(byte[] b, DataType t) {
        switch (t.kind) {
            case IPV4 -> { return Addr.ipv4(b, 0); }
            case IPV6 -> { return Addr.ipv6(b, 0); }
            case MAC -> { return Addr.mac(b, 0); }
            case STRING -> {
                int n = 0;
                while (n < b.length && b[n] != 0) n++;
                String s = new String(b, 0, n, java.nio.charset.StandardCharsets.UTF_8);
                return "\"" + s + (b.length < t.bytes() ? "*" : "") + "\"";
            }
            case BITMASK -> { return flags(b, t); }
            default -> { }
        }
        if (t.name.equals("raw")) return "0x" + new BigInteger(1, b).toString(16);
        long v = Constants.value(b, t);
        if (t == DataType.IFACE_INDEX) {
            String name = Interfaces.current().name((int) v);
            return name != null ? "\"" + name + "\"" : Long.toString(v);
        }
        if (t.name.equals("mark")) return String.format("0x%08x", v);
        if (t.name.equals("time")) return time(v);
        String sym = t.printNumeric ? null : symbol(t.symbols, v);
        if (sym != null && t != DataType.INET_SERVICE) return sym;
        if (t.bits > 64) return "0x" + new BigInteger(1, b).toString(16);
        return Long.toUnsignedString(v);
    }

    /** A range's bounds: nft lists them as numbers for symbolic integer types. */
    static String rangeBound(byte[] b, DataType t) {
        if (t.name.equals("time")) return Constants.value(b, t) / 1000 + "s"; // nft lists time ranges in seconds
        if (t.kind == DataType.Kind.INTEGER && !t.symbols.isEmpty() && !t.name.equals("mark") && !t.name.equals("time")) {
            DataType n = t.numeric();
            return of(b, n);
        }
        return of(b, t);
    }

    static String symbol(Map<String, Long> symbols, long v) {
        for (Map.Entry<String, Long> e : symbols.entrySet()) {
            if (e.getValue() == v) return e.getKey();
        }
        return null;
    }

    static String flags(byte[] b, DataType t) {
        long v = Constants.value(b, t);
        List<String> names = new ArrayList<>();
        for (Map.Entry<String, Long> e : t.symbols.entrySet()) {
            if ((v & e.getValue()) == e.getValue() && e.getValue() != 0) {
                names.add(e.getKey());
                v &= ~e.getValue();
            }
        }
        if (v != 0 || names.isEmpty()) names.add(String.format("0x%x", v));
        return String.join(",", names);
    }

    /** nft's time format: 1d2h3m4s5ms, units that are zero omitted. */
    static String time(long ms) {
        if (ms == 0) return "0s";
        StringBuilder sb = new StringBuilder();
        long[] unit = {86_400_000L, 3_600_000L, 60_000L, 1000L, 1L};
        String[] name = {"d", "h", "m", "s", "ms"};
        for (int i = 0; i < unit.length; i++) {
            long n = ms / unit[i];
            if (n > 0) {
                sb.append(n).append(name[i]);
                ms %= unit[i];
            }
        }
        return sb.toString();
    }

    /** Bytes with nft's unit: the largest of bytes, kbytes, mbytes that divides exactly. */
    static String bytes(long n) {
        if (n != 0 && n % (1024L * 1024 * 1024) == 0) return n / (1024L * 1024 * 1024) + " gbytes";
        if (n != 0 && n % (1024L * 1024) == 0) return n / (1024L * 1024) + " mbytes";
        if (n != 0 && n % 1024 == 0) return n / 1024 + " kbytes";
        return n + " bytes";
    }
}
