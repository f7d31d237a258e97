package org.jnft.nft;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Set and map blocks and element lists as nft lists them. */
final class SetListing {
    private SetListing() {}

    /** {@code { a, b : c }}; named sets wrap lines after a type-dependent count, as nft. */
    static String elements(SetDef s, boolean anonymous) {
        List<SetDef.Elem> elems = new ArrayList<>(s.elems);
        // nft sorts elements by value; host-order types (and strings) compare as little-endian integers, and so
        // does a concatenated key, taken whole before it is split into its parts (list_expr_sort).
        DataType kt = s.keyTypes.get(0);
        boolean little = s.isConcat() || kt.host || kt.kind == DataType.Kind.STRING;
        elems.sort(Comparator.comparing(e -> little ? reversed(e.key()) : e.key(), Constants::compare));
        int perLine = s.isConcat() ? 1 : perLine(s.keyTypes.get(0)); // calculate_delim: a concatenation's type wraps each
        StringBuilder sb = new StringBuilder("{ ");
        int count = 0;
        for (int i = 0; i < elems.size(); i++) {
            if (i > 0) {
                if (anonymous || count < perLine) {
                    sb.append(", ");
                } else {
                    sb.append(",\n\t\t\t     ");
                    count = 0;
                }
            }
            sb.append(element(s, elems.get(i)));
            count++;
        }
        return sb.append(" }").toString();
    }

    private static byte[] reversed(byte[] b) {
        byte[] r = new byte[b.length];
        for (int i = 0; i < b.length; i++) r[i] = b[b.length - 1 - i];
        return r;
    }

    private static int perLine(DataType t) {
        return switch (t.name) {
            case "integer", "inet_proto", "inet_service", "tcp_flag", "mark", "iface_index", "nf_proto", "ct_dir" -> 5;
            case "ipv4_addr", "ipv6_addr", "ct_state", "ct_status", "pkt_type" -> 2;
            default -> 1;
        };
    }

    static String element(SetDef s, SetDef.Elem e) {
        String key = key(s, e);
        if (e.timeoutMs() > 0) key += " timeout " + ValueText.time(e.timeoutMs());
        long expires = e.timeoutMs() > 0 ? e.timeoutMs() : s.timeoutMs;
        if (expires > 0 && !s.anonymous) key += " expires " + ValueText.time(expires); // at load time
        if (e.comment() != null) key += " comment \"" + e.comment() + "\"";
        if (e.verdict() != null) return key + " : " + e.verdict() + (e.chain() == null ? "" : " " + e.chain());
        if (e.objName() != null) return key + " : \"" + e.objName() + "\"";
        if (e.data() != null) return key + " : " + data(s, e.data());
        return key;
    }

    /** An element's data: its parts joined with " . " when the data type is a concatenation. */
    private static String data(SetDef s, byte[] d) {
        if (s.dataTypes == null) return ValueText.of(d, s.dataType);
        List<String> parts = new ArrayList<>();
        int off = 0;
        for (DataType t : s.dataTypes) {
            parts.add(ValueText.of(java.util.Arrays.copyOfRange(d, off, off + t.bytes()), t));
            off += (t.bytes() + 3) / 4 * 4;
        }
        return String.join(" . ", parts);
    }

    private static String key(SetDef s, SetDef.Elem e) {
        if (s.isConcat()) {
            List<String> parts = new ArrayList<>();
            int off = 0;
            for (DataType t : s.keyTypes) {
                byte[] lo = java.util.Arrays.copyOfRange(e.key(), off, off + t.bytes());
                byte[] hi = e.keyEnd() == null ? lo : java.util.Arrays.copyOfRange(e.keyEnd(), off, off + t.bytes());
                parts.add(range(lo, hi, t));
                off += (t.bytes() + 3) / 4 * 4;
            }
            return String.join(" . ", parts);
        }
        DataType t = s.keyTypes.get(0);
        return e.keyEnd() == null ? ValueText.of(e.key(), t) : range(e.key(), e.keyEnd(), t);
    }

    /** A range as nft prints it: a prefix when it is one, else lo-hi. */
    static String range(byte[] lo, byte[] hi, DataType t) {
        if (java.util.Arrays.equals(lo, hi)) return ValueText.of(lo, t);
        if (t.kind == DataType.Kind.IPV4 || t.kind == DataType.Kind.IPV6) {
            int bits = prefixLen(lo, hi);
            if (bits >= 0) return ValueText.of(lo, t) + "/" + bits;
        }
        return ValueText.rangeBound(lo, t) + "-" + ValueText.rangeBound(hi, t);
    }

    private static int prefixLen(byte[] lo, byte[] hi) {
        int n = lo.length * 8;
        for (int bits = 0; bits <= n; bits++) {
            byte[] m = Constants.prefixMask(bits, lo.length);
            boolean ok = true;
            for (int i = 0; i < lo.length && ok; i++) {
                ok = (lo[i] & ~m[i]) == 0 && (hi[i] | m[i]) == (byte) 0xff && (lo[i] & m[i]) == (hi[i] & m[i]);
            }
            if (ok) return bits;
        }
        return -1;
    }

    /** Elements added from the packet path (dynamic sets) join the declared ones in a live listing. */
    private static SetDef withLiveElements(SetDef s) {
        if (!LiveState.CURRENT.isBound() || s.interval) return s;
        org.jnft.vm.NftSet vs = LiveState.CURRENT.get().set(s);
        if (vs == null || vs.elements.size() <= s.elems.size()) return s;
        SetDef copy = s.emptyCopy();
        copy.keyTypeofText = s.keyTypeofText;
        copy.dataTypeofText = s.dataTypeofText;
        copy.comment = s.comment;
        copy.policy = s.policy;
        copy.counter = s.counter;
        copy.elems.addAll(s.elems);
        for (org.jnft.vm.NftSet.Element e : vs.elements.subList(s.elems.size(), vs.elements.size())) {
            copy.elems.add(new SetDef.Elem(e.key(), null, e.data(), null, null, -1, null, null));
        }
        return copy;
    }

    static String block(SetDef declared) {
        SetDef s = withLiveElements(declared);
        StringBuilder sb = new StringBuilder();
        sb.append('\t').append(s.map ? "map " : "set ").append(s.name).append(" {\n");
        sb.append("\t\t");
        if (s.keyTypeofText != null) {
            sb.append("typeof ").append(String.join(" . ", s.keyTypeofText));
            if (s.dataType != null) sb.append(" : ").append(s.dataTypeofText != null ? s.dataTypeofText : s.dataType.name);
        } else {
            sb.append("type ").append(String.join(" . ", s.keyTypes.stream().map(t -> t.name).toList()));
            if (s.dataType != null) sb.append(" : ").append(s.dataTypes != null
                    ? String.join(" . ", s.dataTypes.stream().map(t -> t.name).toList()) : s.dataType.name);
        }
        sb.append('\n');
        if (s.policy != null) sb.append("\t\tpolicy ").append(s.policy).append('\n');
        if (s.size > 0) sb.append("\t\tsize ").append(s.size).append('\n');
        List<String> flags = new ArrayList<>();
        for (String f : List.of("constant", "dynamic", "interval", "timeout")) if (s.flags.contains(f)) flags.add(f);
        if (!flags.isEmpty()) sb.append("\t\tflags ").append(String.join(",", flags)).append('\n');
        if (s.timeoutMs > 0) sb.append("\t\ttimeout ").append(ValueText.time(s.timeoutMs)).append('\n');
        if (s.flags.contains("auto-merge")) sb.append("\t\tauto-merge\n");
        if (s.counter) sb.append("\t\tcounter\n");
        if (s.comment != null) sb.append("\t\tcomment \"").append(s.comment).append("\"\n");
        if (!s.elems.isEmpty()) sb.append("\t\telements = ").append(elements(s, false)).append('\n');
        sb.append("\t}\n");
        return sb.toString();
    }
}
