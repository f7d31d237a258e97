package org.jnft.nft;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Statements of a rule, up to its separator; a trailing {@code comment "..."} is the rule's comment. */
class StmtParser extends ExprParser {
    private static final Set<String> REL_OPS = Set.of("==", "!=", "<", ">", "<=", ">=");
    private static final Map<String, String> WORD_OPS = Map.of("eq", "==", "ne", "!=", "lt", "<", "gt", ">",
            "le", "<=", "ge", ">=");

    StmtParser(List<Token> toks, Map<String, Node> defines) {
        super(toks, defines);
    }

    /** Parses a rule's statements; stops at a separator or '}', which the caller checks. */
    Decl.Rule rule() {
        Token first = peek();
        List<Stmt> stmts = new ArrayList<>();
        String comment = null;
        while (!atEnd()) {
            if (at("comment")) {
                next();
                Token c = next();
                if (c.kind() != Token.Kind.STRING && c.kind() != Token.Kind.WORD) throw error(c, "quoted string");
                comment = c.text();
                continue;
            }
            stmts.add(statement());
        }
        if (stmts.isEmpty()) throw error(peek(), null);
        return new Decl.Rule(span(first.loc(), prevLoc()), stmts, comment);
    }

    Stmt statement() {
        Token t = peek();
        String w = t.kind() == Token.Kind.WORD ? t.text() : "";
        switch (w) {
            case "accept", "drop", "continue", "return", "queue" -> {
                next();
                return new Stmt.Verdict(t.loc(), w, null);
            }
            case "jump", "goto" -> {
                next();
                Token c = identifier();
                return new Stmt.Verdict(span(t.loc(), c.loc()), w, c.text());
            }
            case "counter" -> { return counter(); }
            case "limit" -> { return limit(); }
            case "quota" -> { return quota(); }
            case "log" -> { return log(); }
            case "reject" -> { return reject(); }
            case "snat", "dnat", "masquerade", "redirect" -> { return nat(); }
            case "notrack" -> {
                next();
                return new Stmt.Notrack(t.loc());
            }
            case "flow" -> {
                next();
                if (!accept("add") && !accept("offload")) throw error(peek(), null);
                Token at = expect("@", "'@'");
                Token name = identifier();
                return new Stmt.Flow(span(t.loc(), name.loc()), name.text(), name.loc());
            }
            case "add", "update" -> { return dynset(); }
            default -> { }
        }
        if (!atLhsStart()) throw error(t, null);
        Node left = lhs();
        if (atEnd() && left instanceof Node.RawPayload) throw error(peek(), null);
        if (at("set")) {
            next();
            Node value = setValue();
            return new Stmt.Set(span(t.loc(), value.loc()), left, value);
        }
        if (at("vmap")) {
            next();
            Node m = at("@") ? setRef() : setLiteral();
            Node.MapE map = new Node.MapE(span(left.loc(), m.loc()), left, m, true);
            return new Stmt.Vmap(map.loc(), map);
        }
        String op = "implicit";
        if (peek().kind() == Token.Kind.PUNCT && REL_OPS.contains(peek().text())) {
            op = next().text();
        } else if (at("!")) {
            next();
            op = "!";
        } else if (peek().kind() == Token.Kind.WORD && WORD_OPS.containsKey(peek().text())) {
            op = WORD_OPS.get(next().text());
        }
        if (atEnd()) throw error(peek(), null);
        Node right = rhs();
        if (at("/") && !(right instanceof Node.SetLit)) {
            next();
            Node mask = rhs();
            right = new Node.Binop(span(right.loc(), mask.loc()), "/", right, mask);
        }
        Node.Rel rel = new Node.Rel(span(left.loc(), right.loc()), op, left, right);
        return new Stmt.Match(rel.loc(), rel);
    }

    /** The value of a set statement: an expression that may itself be a map lookup. */
    private Node setValue() {
        Node v = atLhsStart() ? lhs() : rhsConcatItem();
        if (at("map")) {
            next();
            Node m = at("@") ? setRef() : setLiteral();
            return new Node.MapE(span(v.loc(), m.loc()), v, m, false);
        }
        return v;
    }

    private Stmt counter() {
        Token t = next();
        if (at("name")) {
            next();
            Node name = objName();
            return new Stmt.ObjRef(span(t.loc(), name.loc()), "counter", name);
        }
        long pk = 0, by = 0;
        if (accept("packets")) pk = number();
        if (accept("bytes")) by = number();
        return new Stmt.Counter(span(t.loc(), prevLoc()), pk, by);
    }

    private Node objName() {
        if (peek().kind() == Token.Kind.STRING || (peek().kind() == Token.Kind.WORD && !atLhsStart())) {
            Token n = next();
            return new Node.Sym(n.loc(), n.text(), n.kind());
        }
        Node key = lhs();
        expect("map", "map");
        Node m = at("@") ? setRef() : setLiteral();
        return new Node.MapE(span(key.loc(), m.loc()), key, m, false);
    }

    Stmt limit() {
        return limitRest(next());
    }

    /** The rest of a limit after its keyword (also the body of a named limit, {@code t} its first token). */
    Stmt limitRest(Token t) {
        if (accept("name")) {
            Node name = objName();
            return new Stmt.ObjRef(span(t.loc(), name.loc()), "limit", name);
        }
        expect("rate", "rate");
        boolean over = accept("over");
        if (!over) accept("until");
        long rate = number();
        String rateUnit = null;
        String timeUnit;
        Token u = peek();
        if (u.kind() == Token.Kind.WORD && u.text().contains("/")) {
            // The scanner reads "mbytes/second" as one string, as nft's does.
            next();
            rateUnit = u.text().substring(0, u.text().indexOf('/'));
            timeUnit = u.text().substring(u.text().indexOf('/') + 1);
            if (Units.bytes(rateUnit) < 0 || Units.seconds(timeUnit) < 0) throw error(u, null);
        } else {
            if (u.kind() == Token.Kind.WORD && Units.bytes(u.text()) > 0) {
                rateUnit = next().text();
                if (at("/")) throw error(span(toks.get(pos - 2).loc(), u.loc()), "Wrong rate format");
            }
            expect("/", "'/'");
            timeUnit = next().text();
        }
        long burst = rateUnit == null ? 5 : 0;
        String burstUnit = null;
        boolean burstGiven = false;
        if (accept("burst")) {
            burst = number();
            burstGiven = true;
            if (peek().kind() == Token.Kind.WORD && (Units.bytes(peek().text()) > 0 || at("packets"))) {
                if (rateUnit == null && !at("packets")) throw error(peek(), "packets");
                if (rateUnit != null && at("packets")) throw error(peek(), "string or bytes");
                burstUnit = next().text();
            }
        }
        return new Stmt.Limit(span(t.loc(), prevLoc()), over, rate, rateUnit, timeUnit, burst, burstUnit, burstGiven);
    }

    Stmt quota() {
        return quotaRest(next());
    }

    Stmt quotaRest(Token t) {
        if (accept("name")) {
            Node name = objName();
            return new Stmt.ObjRef(span(t.loc(), name.loc()), "quota", name);
        }
        boolean over = accept("over");
        if (!over) accept("until");
        long n = number();
        long unit = peek().kind() == Token.Kind.WORD ? Units.bytes(peek().text()) : -1;
        if (unit < 0) throw error(peek(), null);
        next();
        long used = 0;
        if (accept("used")) {
            long u = number();
            used = u * Units.bytes(next().text());
        }
        return new Stmt.Quota(span(t.loc(), prevLoc()), over, n * unit, used);
    }

    private Stmt log() {
        Token t = next();
        String prefix = null, level = null;
        Integer group = null, snaplen = null;
        List<String> flags = new ArrayList<>();
        while (true) {
            if (accept("prefix")) {
                prefix = next().text();
            } else if (accept("level")) {
                level = next().text();
            } else if (accept("group")) {
                group = (int) number();
            } else if (accept("snaplen")) {
                snaplen = (int) number();
            } else if (accept("flags")) {
                do {
                    String f = next().text();
                    if ((f.equals("tcp") || f.equals("ip")) && peek().isWord()) {
                        flags.add(f + " " + next().text());
                        while (at(",") && peek(1).isWord() && !peek(1).is("ether") && !peek(1).is("skuid")
                                && !peek(1).is("all") && !peek(1).is("ip") && !peek(1).is("tcp")) {
                            next();
                            flags.add(f + " " + next().text());
                        }
                    } else {
                        flags.add(f);
                    }
                } while (accept(","));
            } else {
                break;
            }
        }
        return new Stmt.Log(t.loc(), prefix, level, flags, group, snaplen); // nft locates log at its keyword
    }

    private Stmt reject() {
        Token t = next();
        if (!accept("with")) return new Stmt.Reject(t.loc(), null, null);
        Token k = next();
        if (k.is("tcp")) {
            expect("reset", "reset");
            return new Stmt.Reject(t.loc(), "tcp reset", null); // nft locates reject at its keyword
        }
        if (!(k.is("icmp") || k.is("icmpv6") || k.is("icmpx") || k.is("icmp6"))) throw error(k, null);
        accept("type");
        Node type = rhsPrimary();
        return new Stmt.Reject(t.loc(), k.text().equals("icmp6") ? "icmpv6" : k.text(), type);
    }

    private Stmt nat() {
        Token t = next();
        String kind = t.text();
        String family = null;
        Node addr = null, port = null;
        if ((kind.equals("snat") || kind.equals("dnat")) && (at("ip") || at("ip6"))) family = next().text();
        if (accept("to")) {
            if (at(":")) {
                next();
                port = rhsBasic();
            } else {
                addr = atLhsStart() ? natMapExpr() : rhsBasic();
                if (accept(":")) port = rhsBasic();
            }
        }
        List<String> flags = new ArrayList<>();
        if (peek().isWord() && Set.of("random", "persistent", "fully-random").contains(peek().text())) {
            do {
                flags.add(next().text());
            } while (accept(","));
        }
        return new Stmt.Nat(span(t.loc(), prevLoc()), kind, family, addr, port, flags);
    }

    private Node natMapExpr() {
        Node key = lhs();
        expect("map", "map");
        Node m = at("@") ? setRef() : setLiteral();
        return new Node.MapE(span(key.loc(), m.loc()), key, m, false);
    }

    private Stmt dynset() {
        Token t = next();
        Token at = expect("@", "'@'");
        Token name = identifier();
        expect("{", "'{'");
        Node key = lhs();
        long timeout = -1;
        if (accept("timeout")) timeout = Units.timeMs(this, next());
        Token close = expect("}", "'}'");
        return new Stmt.Dynset(span(t.loc(), close.loc()), t.text(), name.text(), name.loc(), key, timeout);
    }
}
