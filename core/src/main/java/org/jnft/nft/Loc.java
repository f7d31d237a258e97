package org.jnft.nft;

/** A location in a source: [start, end) offsets. Columns are 1-based and inclusive as nft prints them. */
public record Loc(Source src, int start, int end) {
    public static Loc span(Loc a, Loc b) {
        return new Loc(a.src, Math.min(a.start, b.start), Math.max(a.end, b.end));
    }

    public int line() {
        return src.line(start);
    }

    public int firstColumn() {
        return src.column(start);
    }

    public int lastColumn() {
        int last = Math.max(start, end - 1);
        if (src.line(last) != line()) return src.lineText(line()).length();
        return src.column(last);
    }
}
