package org.jnft.nft;

import java.util.ArrayList;
import java.util.List;

/** A ruleset text with its name as given (file name, or an include's name), and its line starts. */
public final class Source {
    public final String name;
    public final String text;
    private final int[] lineStarts;

    public Source(String name, String text) {
        this.name = name;
        this.text = text;
        List<Integer> starts = new ArrayList<>();
        starts.add(0);
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == '\n') starts.add(i + 1);
        }
        lineStarts = starts.stream().mapToInt(Integer::intValue).toArray();
    }

    /** 1-based line of offset {@code off}. */
    public int line(int off) {
        int lo = 0, hi = lineStarts.length - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (lineStarts[mid] <= off) lo = mid; else hi = mid - 1;
        }
        return lo + 1;
    }

    public int column(int off) {
        return off - lineStarts[line(off) - 1] + 1;
    }

    public String lineText(int line) {
        if (line < 1) return "";
        if (line > lineStarts.length) line = lineStarts.length;
        int s = lineStarts[line - 1];
        int e = text.indexOf('\n', s);
        return text.substring(s, e < 0 ? text.length() : e);
    }

    public int lineCount() {
        return lineStarts.length;
    }
}
