package org.jnft.nft;

import java.util.ArrayList;
import java.util.List;

/** Splits a source into tokens the way nft's flex scanner does for the constructs jnft supports. */
final class Lexer {
    private final Source src;
    private final String s;
    private int i;
    private final List<Token> out = new ArrayList<>();
    private final List<Diag> errors;

    Lexer(Source src, List<Diag> errors) {
        this.src = src;
        this.s = src.text;
        this.errors = errors;
    }

    List<Token> run() {
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == '\n') {
                add(Token.Kind.NEWLINE, "\n", i, i + 1);
                i++;
            } else if (c == ' ' || c == '\t' || c == '\r') {
                i++;
            } else if (c == '\\' && i + 1 < s.length() && s.charAt(i + 1) == '\n') {
                i += 2;
            } else if (c == '#') {
                while (i < s.length() && s.charAt(i) != '\n') i++;
            } else if (c == '"') {
                int e = s.indexOf('"', i + 1);
                int nl = s.indexOf('\n', i + 1);
                if (e < 0 || (nl >= 0 && nl < e)) {
                    int end = nl < 0 ? s.length() : nl;
                    errors.add(new Diag(new Loc(src, i, end), "unterminated string"));
                    i = end;
                    continue;
                }
                add(Token.Kind.STRING, s.substring(i + 1, e), i, e + 1);
                i = e + 1;
            } else if (!lexAddress() && !lexNumber() && !lexWord()) {
                lexPunct();
            }
        }
        add(Token.Kind.EOF, "", s.length(), s.length());
        return out;
    }

    private void add(Token.Kind k, String text, int start, int end) {
        out.add(new Token(k, text, new Loc(src, start, end)));
    }

    private static boolean isHex(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    private static boolean isWordChar(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '.' || c == '/' || c == '-';
    }

    private boolean lexAddress() {
        char c = s.charAt(i);
        if (!isHex(c) && c != ':') return false;
        int e = i;
        while (e < s.length() && (isHex(s.charAt(e)) || s.charAt(e) == ':' || s.charAt(e) == '.')) e++;
        // An identifier continuing past the span (e.g. "accept", "dead-beef") is not an address.
        if (e < s.length() && isWordChar(s.charAt(e)) && s.charAt(e) != '/' && s.charAt(e) != '-' && s.charAt(e) != '.') {
            return false;
        }
        String span = s.substring(i, e);
        if (span.indexOf(':') >= 0) {
            for (int end = span.length(); end > 0; end--) {
                String cand = span.substring(0, end);
                if (cand.indexOf(':') < 0) break;
                if (Addr.isMac(cand) || Addr.parseIpv6(cand) != null) {
                    if (cand.endsWith(":") && !cand.endsWith("::")) continue;
                    add(Token.Kind.ADDR, cand, i, i + end);
                    i += end;
                    return true;
                }
            }
        }
        int dots = 0, j = i;
        int k = i;
        while (k < s.length() && (Character.isDigit(s.charAt(k)) || s.charAt(k) == '.')) {
            if (s.charAt(k) == '.') dots++;
            k++;
        }
        if (dots == 3 && Addr.parseIpv4(s.substring(j, k)) != null
                && !(k < s.length() && (Character.isLetter(s.charAt(k)) || s.charAt(k) == '_'))) {
            add(Token.Kind.ADDR, s.substring(j, k), j, k);
            i = k;
            return true;
        }
        return false;
    }

    private boolean lexNumber() {
        if (!Character.isDigit(s.charAt(i))) return false;
        int e = i;
        if (s.startsWith("0x", i) || s.startsWith("0X", i)) {
            e += 2;
            while (e < s.length() && isHex(s.charAt(e))) e++;
        } else {
            while (e < s.length() && Character.isDigit(s.charAt(e))) e++;
        }
        if (e < s.length() && (Character.isLetter(s.charAt(e)) || s.charAt(e) == '_')) {
            // "10s", "1h30m": a time or other string starting with a digit.
            while (e < s.length() && (Character.isLetterOrDigit(s.charAt(e)) || s.charAt(e) == '_')) e++;
            add(Token.Kind.WORD, s.substring(i, e), i, e);
        } else {
            add(Token.Kind.NUMBER, s.substring(i, e), i, e);
        }
        i = e;
        return true;
    }

    private boolean lexWord() {
        char c = s.charAt(i);
        if (!Character.isLetter(c) && c != '_' && c != '.') return false;
        if (c == '.' && (i + 1 >= s.length() || !Character.isLetter(s.charAt(i + 1)))) return false;
        int e = i + 1;
        while (e < s.length() && isWordChar(s.charAt(e))) e++;
        if (e < s.length() && s.charAt(e) == '*') e++;
        add(Token.Kind.WORD, s.substring(i, e), i, e);
        i = e;
        return true;
    }

    private static final String[] TWO = {"==", "!=", "<=", ">=", "<<", ">>"};

    private void lexPunct() {
        for (String t : TWO) {
            if (s.startsWith(t, i)) {
                add(Token.Kind.PUNCT, t, i, i + 2);
                i += 2;
                return;
            }
        }
        char c = s.charAt(i);
        if ("{}()[];:,/-.=<>&|^!@$*+~".indexOf(c) >= 0) {
            add(Token.Kind.PUNCT, String.valueOf(c), i, i + 1);
        } else {
            errors.add(new Diag(new Loc(src, i, i + 1), "syntax error, unexpected junk"));
        }
        i++;
    }
}
