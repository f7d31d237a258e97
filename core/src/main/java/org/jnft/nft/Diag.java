package org.jnft.nft;

/**
 * One error as nft prints it: {@code FILE:LINE:COL-COL: Error: MESSAGE}, the source line, and a marker
 * line ({@code ^} under the location, {@code ~} under a related one on the same line).
 */
public record Diag(Loc loc, Loc related, String message, boolean eof) {
    public Diag(Loc loc, String message) {
        this(loc, null, message, false);
    }

    public String format() {
        Source src = loc.src();
        if (eof) {
            // nft reports end of file one line below the last line, with the last line's text.
            int line = src.text.endsWith("\n") ? src.lineCount() : src.lineCount() + 1;
            String text = src.lineText(line - 1);
            return src.name + ":" + line + ":1-1: Error: " + message + "\n" + text + "\n^\n";
        }
        int line = loc.line();
        String text = src.lineText(line);
        StringBuilder marker = new StringBuilder();
        int first = loc.firstColumn(), last = loc.lastColumn();
        int len = Math.max(last, related != null && related.line() == line ? related.lastColumn() : 0);
        for (int c = 1; c <= len; c++) {
            char m = ' ';
            if (related != null && related.line() == line && c >= related.firstColumn() && c <= related.lastColumn()) m = '~';
            if (c >= first && c <= last) m = '^';
            marker.append(text.length() >= c && text.charAt(c - 1) == '\t' && m == ' ' ? '\t' : m);
        }
        return src.name + ":" + line + ":" + first + "-" + last + ": Error: " + message + "\n" + text + "\n" + marker + "\n";
    }
}
