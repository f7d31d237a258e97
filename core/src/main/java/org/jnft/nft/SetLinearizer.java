package org.jnft.nft;

import org.jnft.vm.NftSet;

/** Builds the VM set of a {@link SetDef}: flags, sizes and elements as nft sends them. */
final class SetLinearizer {
    private SetLinearizer() {}

    static NftSet build(SetDef d, String table) {
        int dataLen = d.dataType == null || d.isObjectMap() || d.isVerdictMap() ? 0 : d.dataType.bytes();
        java.util.List<NftSet.Element> elems = new java.util.ArrayList<>();
        boolean single = d.interval && !d.isConcat();
        for (int i = 0; i < d.elems.size(); i++) {
            SetDef.Elem e = d.elems.get(i);
            if (single) {
                if (i == 0 && !isZero(e.key())) elems.add(NftSet.Element.key(new byte[e.key().length], NftSet.ELEM_INTERVAL_END));
                elems.add(element(d, e, e.key(), null, 0));
                byte[] end = Constants.plusOne(e.keyEnd() == null ? e.key() : e.keyEnd());
                if (end != null) elems.add(NftSet.Element.key(end, NftSet.ELEM_INTERVAL_END));
            } else {
                elems.add(element(d, e, e.key(), d.isConcat() && d.interval ? (e.keyEnd() == null ? e.key() : e.keyEnd()) : null, 0));
            }
        }
        int size = d.anonymous ? elems.size() : d.size;
        NftSet s = new NftSet(d.name, table, SetDecls.flagsWord(d), d.keyLen(), dataLen, size, d.timeoutMs,
                d.isVerdictMap());
        s.elements.addAll(elems);
        return s;
    }

    private static NftSet.Element element(SetDef d, SetDef.Elem e, byte[] key, byte[] keyEnd, int flags) {
        int verdict = e.verdict() == null ? Integer.MIN_VALUE : Linearizer.verdictCode(e.verdict());
        return new NftSet.Element(key, keyEnd, e.data(), verdict, e.chain(), flags, e.objName());
    }

    private static boolean isZero(byte[] b) {
        for (byte x : b) if (x != 0) return false;
        return true;
    }
}
