package org.jnft.nft;

/** A lexical token. {@code text} is the word, number, string contents or punctuation. */
public record Token(Kind kind, String text, Loc loc) {
    public enum Kind { WORD, NUMBER, STRING, ADDR, PUNCT, NEWLINE, EOF }

    public boolean is(String s) {
        return (kind == Kind.WORD || kind == Kind.PUNCT) && text.equals(s);
    }

    public boolean isWord() {
        return kind == Kind.WORD;
    }

    /** How bison names this token in "unexpected X". */
    public String describe() {
        return switch (kind) {
            case EOF -> "end of file";
            case NEWLINE -> "newline";
            case STRING -> "quoted string";
            case NUMBER -> "number";
            case PUNCT -> text.equals(";") ? "semicolon" : text.length() == 1 ? "'" + text + "'" : text;
            case ADDR -> "string";
            case WORD -> Keywords.isKeyword(text) ? text : text.endsWith("*") ? "string with a trailing asterisk" : "string";
        };
    }
}
