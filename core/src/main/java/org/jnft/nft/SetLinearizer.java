package org.jnft.nft;

import java.util.List;
import org.jnft.vm.NftSet;

/** Builds the VM set of a {@link SetDef}: flags, sizes and elements as nft sends them. */
final class SetLinearizer {
    private SetLinearizer() {}

    static NftSet build(SetDef d, String table) {
        int dataLen = d.dataLen();
        java.util.List<NftSet.Element> elems = new java.util.ArrayList<>();
        boolean single = d.interval && !d.isConcat();
        // Host-order keys of interval sets go to the kernel in network order (the rule adds hton).
        int host = single && hostKey(d) ? d.keyType().bytes() : 0;
        List<SetDef.Elem> sorted = d.elems;
        if (host > 0) {
            sorted = new java.util.ArrayList<>();
            for (SetDef.Elem e : d.elems) {
                sorted.add(new SetDef.Elem(Constants.toBig(e.key(), host), e.keyEnd() == null ? null
                        : Constants.toBig(e.keyEnd(), host), e.data(), e.verdict(), e.chain(), e.timeoutMs(), e.comment(),
                        e.objName()));
            }
            sorted.sort(java.util.Comparator.comparing(SetDef.Elem::key, Constants::compare));
        }
        for (int i = 0; i < sorted.size(); i++) {
            SetDef.Elem e = sorted.get(i);
            if (single) {
                if (i == 0 && !isZero(e.key())) elems.add(NftSet.Element.key(new byte[e.key().length], NftSet.ELEM_INTERVAL_END));
                elems.add(element(d, e, e.key(), null, 0));
                byte[] end = Constants.plusOne(e.keyEnd() == null ? e.key() : e.keyEnd());
                boolean adjacent = d.anonymous && end != null && i + 1 < sorted.size()
                        && java.util.Arrays.equals(sorted.get(i + 1).key(), end);
                if (end != null && !adjacent) elems.add(NftSet.Element.key(end, NftSet.ELEM_INTERVAL_END));
            } else {
                elems.add(element(d, e, e.key(), d.isConcat() && d.interval ? (e.keyEnd() == null ? e.key() : e.keyEnd()) : null, 0));
            }
        }
        int size = d.anonymous ? elems.size() : d.size;
        NftSet s = new NftSet(d.name, table, SetDecls.flagsWord(d), d.keyLen(), dataLen, size, d.timeoutMs,
                d.isVerdictMap());
        s.elements.addAll(elems);
        if (d.isConcat()) s.fieldLens = d.keyTypes.stream().mapToInt(DataType::bytes).toArray();
        return s;
    }

    private static NftSet.Element element(SetDef d, SetDef.Elem e, byte[] key, byte[] keyEnd, int flags) {
        int verdict = e.verdict() == null ? Integer.MIN_VALUE : Linearizer.verdictCode(e.verdict());
        return new NftSet.Element(key, keyEnd, e.data(), verdict, e.chain(), flags, e.objName());
    }

    static boolean hostKey(SetDef d) {
        DataType t = d.keyType();
        return t.host && t.bytes() > 1;
    }

    private static boolean isZero(byte[] b) {
        for (byte x : b) if (x != 0) return false;
        return true;
    }
}
