package org.jnft.nft;

import java.util.List;
import java.util.Map;

/** Cursor over tokens with bison-style syntax errors and the define scope. */
class TokenStream {
    /** Thrown to abandon the current command after a syntax error. */
    static final class SyntaxError extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final transient Diag diag;

        SyntaxError(Diag diag) {
            super(diag.message(), null, false, false);
            this.diag = diag;
        }
    }

    final List<Token> toks;
    int pos;
    final Map<String, Node> defines;

    TokenStream(List<Token> toks, Map<String, Node> defines) {
        this.toks = toks;
        this.defines = defines;
    }

    Token peek() {
        return toks.get(pos);
    }

    Token peek(int ahead) {
        return toks.get(Math.min(pos + ahead, toks.size() - 1));
    }

    Token next() {
        Token t = toks.get(pos);
        if (t.kind() != Token.Kind.EOF) pos++;
        return t;
    }

    boolean at(String s) {
        return peek().is(s);
    }

    boolean accept(String s) {
        if (at(s)) {
            next();
            return true;
        }
        return false;
    }

    boolean atEnd() {
        Token t = peek();
        return t.kind() == Token.Kind.EOF || t.kind() == Token.Kind.NEWLINE || t.is(";") || t.is("}");
    }

    SyntaxError error(Token t, String expecting) {
        String msg = "syntax error, unexpected " + t.describe() + (expecting == null ? "" : ", expecting " + expecting);
        return new SyntaxError(new Diag(t.loc(), null, msg, t.kind() == Token.Kind.EOF));
    }

    SyntaxError error(Loc loc, String msg) {
        return new SyntaxError(new Diag(loc, msg));
    }

    Token expect(String s, String expecting) {
        if (!at(s)) throw error(peek(), expecting);
        return next();
    }

    /** An identifier: a non-keyword word or a quoted string ("string" in bison's messages). */
    Token identifier() {
        Token t = peek();
        if ((t.kind() == Token.Kind.WORD && !Keywords.isKeyword(t.text())) || t.kind() == Token.Kind.STRING) {
            return next();
        }
        if (t.is("$")) {
            Token v = variableToken();
            return v;
        }
        throw error(t, "string");
    }

    /** {@code $name} used where a name is expected: substitutes the define's text. */
    private Token variableToken() {
        next();
        Token name = next();
        Node n = defines.get(name.text());
        if (n == null) throw unknownIdentifier(name);
        if (n instanceof Node.Sym s) return new Token(Token.Kind.WORD, s.text(), s.loc());
        throw error(name.loc(), "invalid variable " + name.text());
    }

    SyntaxError unknownIdentifier(Token name) {
        // nft's scope lists the most recent definition first.
        String hint = Misspell.suggest(name.text(), new java.util.ArrayList<>(defines.keySet()).reversed());
        return error(name.loc(), "unknown identifier '" + name.text() + "'"
                + (hint == null ? "" : "; did you mean identifier ‘" + hint + "’?"));
    }

    String word() {
        Token t = peek();
        if (t.kind() == Token.Kind.WORD) return next().text();
        throw error(t, null);
    }

    long number() {
        Token t = peek();
        if (t.kind() != Token.Kind.NUMBER) throw error(t, "number");
        next();
        return parseNumber(t.text());
    }

    static long parseNumber(String s) {
        return s.startsWith("0x") || s.startsWith("0X") ? Long.parseUnsignedLong(s.substring(2), 16) : Long.parseUnsignedLong(s);
    }

    /** Skips the remaining tokens of a statement line ({@code ;}, newline or end). */
    void endOfLine(String expecting) {
        Token t = peek();
        if (t.kind() == Token.Kind.NEWLINE || t.is(";")) {
            next();
            return;
        }
        if (t.kind() == Token.Kind.EOF) return;
        throw error(t, expecting);
    }

    void skipSeparators() {
        while (peek().kind() == Token.Kind.NEWLINE || peek().is(";")) next();
    }

    void skipNewlines() {
        while (peek().kind() == Token.Kind.NEWLINE) next();
    }
}
