package org.jnft.nft;

import java.util.ArrayList;
import java.util.List;

/** Named set and map declarations: key/data types from {@code type} names or {@code typeof} expressions. */
final class SetDecls {
    private SetDecls() {}

    static SetDef build(Evaluator ev, Model.Table t, Decl.Set d) {
        List<DataType> keys = new ArrayList<>();
        List<String> typeofText = null;
        if (!d.keyTypes().isEmpty()) {
            for (String n : d.keyTypes()) keys.add(type(n, d));
        } else if (!d.keyTypeof().isEmpty()) {
            typeofText = new ArrayList<>();
            for (Node n : d.keyTypeof()) {
                Ir.Val v = new ExprEvaluator(t).lhs(n);
                keys.add(v.type().bits == 0 ? v.type().withBits(v.len() * 8) : v.type());
                typeofText.add(Listing.exprText(n));
            }
        } else {
            throw new EvalError(d.nameLoc(), "set definition does not specify key");
        }
        DataType data = null;
        List<DataType> dataParts = null;
        if (d.dataType() != null && d.dataType().contains(" . ")) {
            dataParts = new ArrayList<>();
            for (String n : d.dataType().split(" \\. ")) dataParts.add(type(n, d));
            data = SetDef.concatData(dataParts);
        } else if (d.dataType() != null) {
            data = type(d.dataType(), d);
        }
        if (d.dataTypeof() != null) data = new ExprEvaluator(t).lhs(d.dataTypeof()).type();
        List<String> flags = new ArrayList<>(d.flags());
        SetDef s = new SetDef(d.name(), false, keys, data, flags, d.timeoutMs(), d.size(), d.map());
        s.dataTypes = dataParts;
        s.keyTypeofText = typeofText;
        if (d.dataTypeof() != null) s.dataTypeofText = Listing.exprText(d.dataTypeof());
        s.comment = d.comment();
        s.policy = d.policy();
        s.counter = d.counter();
        if (d.elements() != null) ExprEvaluator.fillElements(s, d.elements().elems(), flags.contains("auto-merge"));
        s.declaredCount = s.elems.size();
        return s;
    }

    private static DataType type(String name, Decl.Set d) {
        DataType t = DataType.BY_NAME.get(name);
        if (t == null) throw new EvalError(d.nameLoc(), "unknown datatype " + name);
        return t;
    }

    /** The set's flags word as libnftnl prints it. */
    static int flagsWord(SetDef s) {
        int f = 0;
        if (s.anonymous) f |= 0x1 | 0x2;
        if (s.flags.contains("constant")) f |= 0x2;
        if (s.interval) f |= 0x4;
        if (s.map && !s.isObjectMap()) f |= 0x8;
        if (s.flags.contains("timeout") || s.timeoutMs > 0) f |= 0x10;
        if (s.flags.contains("dynamic")) f |= 0x20;
        if (s.isObjectMap()) f |= 0x40;
        if (s.interval && s.isConcat()) f |= 0x80;
        return f;
    }
}
