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
        List<Ir.Cmp> run = new ArrayList<>();
        for (Ir s : in) {
            if (s instanceof Ir.Cmp c && mergeable(c)
                    && (run.isEmpty() || ((Ir.Payload) run.get(0).left()).base() == ((Ir.Payload) c.left()).base())) {
                run.add(c);
                continue;
            }
            flush(run, out);
            if (s instanceof Ir.Cmp c && mergeable(c)) run.add(c); else out.add(s);
        }
        flush(run, out);
        return out;
    }

    /** A run of mergeable compares on one base, in offset order (as nft sorts them), merged where allowed. */
    private static void flush(List<Ir.Cmp> pending, List<Ir> out) {
        List<Ir.Cmp> run = new ArrayList<>(pending);
        pending.clear();
        if (run.size() > 1) {
            List<Ir.Cmp> sorted = new ArrayList<>(run);
            sorted.sort(java.util.Comparator.comparingInt(c -> ((Ir.Payload) c.left()).offsetBits()));
            boolean anyMerge = false;
            for (int i = 0; i + 1 < sorted.size(); i++) anyMerge |= tryMerge(sorted.get(i), sorted.get(i + 1)) != null;
            if (anyMerge) {
                run = sorted;
            }
        }
        List<Ir> merged = new ArrayList<>();
        for (Ir.Cmp c : run) {
            if (!merged.isEmpty() && merged.getLast() instanceof Ir.Cmp a) {
                Ir.Cmp m = tryMerge(a, c);
                if (m != null) {
                    merged.set(merged.size() - 1, m);
                    continue;
                }
            }
            merged.add(c);
        }
        out.addAll(merged);
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
