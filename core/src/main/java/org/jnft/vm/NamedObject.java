package org.jnft.vm;

/** A named stateful object of a table: counter (type 1), quota (type 2), limit (type 4). */
public final class NamedObject {
    public static final int COUNTER = 1, QUOTA = 2, LIMIT = 4;
    public final int type;
    public final String name;
    public final Expr state;

    public NamedObject(int type, String name, Expr state) {
        this.type = type;
        this.name = name;
        this.state = state;
    }

    /** libnftnl's line: {@code table (null) name (null) use 0 [ counter pkts 0 bytes 0 ]}. */
    public String debugLine() {
        String s = state.toString();
        if (state instanceof Quota q) s = "quota bytes " + q.bytes + " flags " + (q.over ? 1 : 0);
        return "table (null) name (null) use 0 [ " + s + " ]";
    }
}
