package org.jnft.nft;

import java.util.ArrayList;
import java.util.List;
import org.jnft.vm.CmpOp;

/**
 * nft's merge of adjacent payload matches: consecutive {@code ==} comparisons of byte-aligned fields of
 * the same header that touch each other become one load and one compare (up to 16 bytes).
 */
final class PayloadMerge {
    private PayloadMerge() {}

    static List<Ir> merge(List<Ir> in) {
        List<Ir> out = new ArrayList<>();
        for (Ir s : in) {
            if (!out.isEmpty() && out.getLast() instanceof Ir.Cmp a && s instanceof Ir.Cmp b) {
                Ir.Cmp m = tryMerge(a, b);
                if (m != null) {
                    out.set(out.size() - 1, m);
                    continue;
                }
            }
            out.add(s);
        }
        return out;
    }

    private static boolean mergeable(Ir.Cmp c) {
        return c.op() == CmpOp.EQ && c.hostSize() == 0 && c.left() instanceof Ir.Payload p
                && p.offsetBits() % 8 == 0 && p.lenBits() % 8 == 0 && c.value().length == p.len();
    }

    private static Ir.Cmp tryMerge(Ir.Cmp a, Ir.Cmp b) {
        if (!mergeable(a) || !mergeable(b)) return null;
        Ir.Payload pa = (Ir.Payload) a.left(), pb = (Ir.Payload) b.left();
        if (pa.base() != pb.base() || pa.offsetBits() + pa.lenBits() != pb.offsetBits()) return null;
        int bits = pa.lenBits() + pb.lenBits();
        // nft 1.0.6 merges only when the following field is narrower than 32 bits (observed: saddr+daddr,
        // seq+ackseq and dport+seq stay apart; sport+dport, ether saddr+type, ttl+protocol+checksum merge).
        if (bits > 128 || pb.lenBits() >= 32) return null;
        Proto.Field f = new Proto.Field(pa.field().name() + "+" + pb.field().name(),
                pa.field().offsetBits(), bits, DataType.integer(bits, false));
        byte[] v = new byte[a.value().length + b.value().length];
        System.arraycopy(a.value(), 0, v, 0, a.value().length);
        System.arraycopy(b.value(), 0, v, a.value().length, b.value().length);
        return new Ir.Cmp(new Ir.Payload(pa.proto(), f, f.type()), CmpOp.EQ, v, 0);
    }
}
