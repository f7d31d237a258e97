package org.jnft.nft;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Tokens as nft's scanner produces them, and errors formatted as nft prints them. */
class LexerTest {
    static List<String> lex(String text) {
        List<Diag> errors = new ArrayList<>();
        List<String> out = new ArrayList<>();
        for (Token t : new Lexer(new Source("t", text), errors).run()) {
            if (t.kind() != Token.Kind.EOF) out.add(t.kind() + ":" + t.text());
        }
        assertThat(errors).isEmpty();
        return out;
    }

    @Test
    void addressesRangesAndPrefixes() {
        assertThat(lex("10.0.0.0/8")).containsExactly("ADDR:10.0.0.0", "PUNCT:/", "NUMBER:8");
        assertThat(lex("10.0.0.1-10.0.0.5")).containsExactly("ADDR:10.0.0.1", "PUNCT:-", "ADDR:10.0.0.5");
        assertThat(lex("fe80::/10")).containsExactly("ADDR:fe80::", "PUNCT:/", "NUMBER:10");
        assertThat(lex("dead::beef . 22")).containsExactly("ADDR:dead::beef", "PUNCT:.", "NUMBER:22");
        assertThat(lex("00:11:22:33:44:55")).containsExactly("ADDR:00:11:22:33:44:55");
        assertThat(lex("1.2.3.4:80")).containsExactly("ADDR:1.2.3.4", "PUNCT::", "NUMBER:80");
    }

    @Test
    void wordsNumbersStringsAndComments() {
        assertThat(lex("ct state established,related accept # done\n"))
                .containsExactly("WORD:ct", "WORD:state", "WORD:established", "PUNCT:,", "WORD:related", "WORD:accept",
                        "NEWLINE:\n");
        assertThat(lex("icmpv6 type nd-neighbor-solicit")).containsExactly("WORD:icmpv6", "WORD:type",
                "WORD:nd-neighbor-solicit");
        assertThat(lex("timeout 1h30m")).containsExactly("WORD:timeout", "WORD:1h30m");
        assertThat(lex("meta mark 0xff")).containsExactly("WORD:meta", "WORD:mark", "NUMBER:0xff");
        assertThat(lex("iifname \"eth*\" eth1*")).containsExactly("WORD:iifname", "STRING:eth*", "WORD:eth1*");
        assertThat(lex("tcp dport != 22")).containsExactly("WORD:tcp", "WORD:dport", "PUNCT:!=", "NUMBER:22");
        assertThat(lex("a \\\n b")).containsExactly("WORD:a", "WORD:b");
    }

    @Test
    void diagnosticsAsNftPrintsThem() {
        Source src = new Source("f.nft", "table ip t {\n\tchain c {\n\t\tmasquerade to :80\n\t}\n}\n");
        int kw = src.text.indexOf("masquerade"), port = src.text.indexOf("80");
        Diag d = new Diag(new Loc(src, port, port + 2), new Loc(src, kw, kw + 10), "transport protocol mapping", false);
        assertThat(d.format()).isEqualTo("f.nft:3:18-19: Error: transport protocol mapping\n"
                + "\t\tmasquerade to :80\n\t\t~~~~~~~~~~     ^^\n");
        Diag eof = new Diag(new Loc(src, src.text.length(), src.text.length()), null, "syntax error, unexpected end of file", true);
        assertThat(eof.format()).isEqualTo("f.nft:6:1-1: Error: syntax error, unexpected end of file\n}\n^\n");
    }
}
