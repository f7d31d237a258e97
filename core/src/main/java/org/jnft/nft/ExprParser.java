package org.jnft.nft;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Expressions: left-hand sides (payload, meta, ct, ...), right-hand sides (values, sets, ranges). */
class ExprParser extends TokenStream {
    static final Set<String> PAYLOAD_PROTOS = Set.of("ether", "vlan", "arp", "ip", "ip6", "icmp", "icmpv6",
            "igmp", "tcp", "udp", "udplite", "sctp", "dccp", "ah", "esp", "comp", "th");
    /** Meta keys usable without {@code meta}. */
    static final Set<String> META_UNQUALIFIED = Set.of("mark", "iif", "iifname", "iiftype", "oif", "oifname",
            "oiftype", "skuid", "skgid", "nftrace", "rtclassid", "cpu", "iifgroup", "oifgroup", "cgroup", "ipsec",
            "priority");
    static final Set<String> VERDICTS = Set.of("accept", "drop", "continue", "return", "jump", "goto", "queue");

    ExprParser(List<Token> toks, Map<String, Node> defines) {
        super(toks, defines);
    }

    static Loc span(Loc a, Loc b) {
        return Loc.span(a, b);
    }

    Loc prevLoc() {
        return toks.get(Math.max(0, pos - 1)).loc();
    }

    boolean atLhsStart() {
        Token t = peek();
        if (t.is("@") && peek(1).isWord() && java.util.Set.of("ll", "nh", "th", "ih").contains(peek(1).text())
                && peek(2).is(",")) {
            return true;
        }
        if (t.kind() != Token.Kind.WORD) return t.is("(");
        String w = t.text();
        return PAYLOAD_PROTOS.contains(w) || ExtHeaders.BY_NAME.containsKey(w) || w.equals("exthdr") || w.equals("meta") || w.equals("ct") || w.equals("rt") || w.equals("fib")
                || META_UNQUALIFIED.contains(w);
    }

    /** concat of basic expressions: {@code ip saddr . tcp dport}. */
    Node lhs() {
        Node first = lhsBasic();
        if (!at(".")) return first;
        List<Node> parts = new ArrayList<>(List.of(first));
        while (accept(".")) parts.add(lhsBasic());
        return new Node.Concat(span(first.loc(), parts.getLast().loc()), parts);
    }

    private Node lhsBasic() {
        Node left = lhsPrimary();
        while (true) {
            String op = peek().text();
            if (peek().kind() == Token.Kind.PUNCT && (op.equals("&") || op.equals("|") || op.equals("^")
                    || op.equals("<<") || op.equals(">>"))
                    || peek().is("and") || peek().is("or") || peek().is("xor")) {
                next();
                op = switch (op) { case "and" -> "&"; case "or" -> "|"; case "xor" -> "^"; default -> op; };
                Node right = rhsPrimary();
                left = new Node.Binop(span(left.loc(), right.loc()), op, left, right);
            } else {
                return left;
            }
        }
    }

    Node lhsPrimary() {
        Token t = peek();
        if (t.is("@")) {
            next();
            Token base = next();
            expect(",", "','");
            long off = number();
            expect(",", "','");
            Token len = expect2Number();
            return new Node.RawPayload(span(t.loc(), len.loc()), base.text(), (int) off, (int) parseNumber(len.text()));
        }
        if (t.is("(")) {
            next();
            Node n = lhs();
            expect(")", "')'");
            return n;
        }
        if (t.kind() != Token.Kind.WORD) throw error(t, null);
        String w = t.text();
        if (PAYLOAD_PROTOS.contains(w)) {
            next();
            if (w.equals("tcp") && at("option")) {
                next();
                Token opt = next();
                Token field = peek().kind() == Token.Kind.WORD && !VERDICTS.contains(peek().text()) && !at("set")
                        && !at("exists") && !at("missing") ? next() : null;
                return new Node.TcpOpt(span(t.loc(), (field == null ? opt : field).loc()), opt.text(),
                        field == null ? null : field.text());
            }
            Token f = peek();
            if (f.kind() != Token.Kind.WORD) throw error(f, null);
            next();
            return new Node.Payload(span(t.loc(), f.loc()), w, f.text());
        }
        if (w.equals("exthdr")) {
            next();
            Token h = next();
            if (!ExtHeaders.BY_NAME.containsKey(h.text())) throw error(h, null);
            return new Node.Exthdr(span(t.loc(), h.loc()), h.text(), null);
        }
        if (ExtHeaders.BY_NAME.containsKey(w) && !(w.equals("rt") && !peek(1).isWord())
                && (!w.equals("rt") || ExtHeaders.BY_NAME.get("rt").fields().containsKey(peek(1).text()))) {
            next();
            Token f = next();
            if (!ExtHeaders.BY_NAME.get(w).fields().containsKey(f.text())) throw error(f, null);
            return new Node.Exthdr(span(t.loc(), f.loc()), w, f.text());
        }
        if (w.equals("meta")) {
            next();
            Token k = next();
            return new Node.Meta(span(t.loc(), k.loc()), k.text());
        }
        if (META_UNQUALIFIED.contains(w)) {
            next();
            return new Node.Meta(t.loc(), w);
        }
        if (w.equals("ct")) {
            next();
            String dir = null, fam = null;
            if (at("original") || at("reply")) dir = next().text();
            if (dir != null && (at("ip") || at("ip6"))) fam = next().text();
            Token k = next();
            if (dir != null && !Set.of("saddr", "daddr", "proto-src", "proto-dst", "l3proto", "protocol", "bytes",
                    "packets", "avgpkt", "zone").contains(k.text())) {
                throw error(k, null);
            }
            return new Node.Ct(span(t.loc(), k.loc()), k.text(), dir, fam);
        }
        if (w.equals("rt")) {
            next();
            if (at("ip") || at("ip6")) next();
            Token k = next();
            return new Node.Rt(span(t.loc(), k.loc()), k.text());
        }
        if (w.equals("fib")) {
            next();
            List<String> flags = new ArrayList<>();
            Token first = next();
            flags.add(first.text());
            while (accept(".")) flags.add(next().text());
            Loc flagsLoc = span(first.loc(), prevLoc());
            Token r = next();
            return new Node.Fib(span(t.loc(), r.loc()), flags, flagsLoc, r.text());
        }
        throw error(t, null);
    }

    /** A right-hand side: value, list, range, prefix, concat, set literal or reference. */
    Node rhs() {
        if (at("{")) return setLiteral();
        if (at("@")) return setRef();
        Node first = rhsConcatItem();
        if (at(",") && !(first instanceof Node.Concat)) {
            List<Node> items = new ArrayList<>(List.of(first));
            while (accept(",")) items.add(rhsBasic());
            return new Node.ListE(span(first.loc(), items.getLast().loc()), items);
        }
        return first;
    }

    Node setRef() {
        Token at = expect("@", null);
        Token name = identifier();
        return new Node.SetRef(span(at.loc(), name.loc()), name.text());
    }

    /** A concatenation of range/prefix-capable basic values. */
    Node rhsConcatItem() {
        Node first = rhsBasic();
        if (!at(".")) return first;
        List<Node> parts = new ArrayList<>(List.of(first));
        while (accept(".")) parts.add(rhsBasic());
        return new Node.Concat(span(first.loc(), parts.getLast().loc()), parts);
    }

    /** basic value with {@code | & ^}, then an optional {@code -hi} range or {@code /len} prefix. */
    Node rhsBasic() {
        Node v = rhsPrimary();
        while ((peek().kind() == Token.Kind.PUNCT && (at("|") || at("&") || at("^"))) || at("or") || at("and")
                || at("xor")) {
            String op = switch (next().text()) { case "or" -> "|"; case "and" -> "&"; case "xor" -> "^"; default -> prevText(); };
            Node r = rhsPrimary();
            v = new Node.Binop(span(v.loc(), r.loc()), op, v, r);
        }
        if (at("-")) {
            next();
            Node hi = rhsPrimary();
            return new Node.Range(span(v.loc(), hi.loc()), v, hi);
        }
        if (at("/") && peek(1).kind() == Token.Kind.NUMBER) {
            next();
            Token n = next();
            return new Node.Prefix(span(v.loc(), n.loc()), v, (int) Math.min(Integer.MAX_VALUE, parseNumber(n.text())));
        }
        return v;
    }

    private Token expect2Number() {
        if (peek().kind() != Token.Kind.NUMBER) throw error(peek(), "number");
        return next();
    }

    private String prevText() {
        return toks.get(pos - 1).text();
    }

    Node rhsPrimary() {
        Token t = peek();
        switch (t.kind()) {
            case NUMBER, ADDR, STRING -> {
                next();
                return new Node.Sym(t.loc(), t.text(), t.kind());
            }
            case WORD -> {
                next();
                return new Node.Sym(t.loc(), t.text(), t.kind());
            }
            default -> { }
        }
        if (t.is("$")) {
            next();
            Token name = next();
            Node n = defines.get(name.text());
            if (n == null) throw unknownIdentifier(name);
            return n;
        }
        if (t.is("(")) {
            next();
            Node n = rhsConcatItem();
            expect(")", "')'");
            return n;
        }
        if (t.is("[")) {
            next();
            Token a = next();
            expect("]", "']'");
            return new Node.Sym(a.loc(), a.text(), a.kind());
        }
        if (t.is("-") && peek(1).kind() == Token.Kind.NUMBER) {
            next();
            Token n = next();
            return new Node.Sym(span(t.loc(), n.loc()), "-" + n.text(), Token.Kind.NUMBER);
        }
        throw error(t, null);
    }

    /** {@code { elem, elem : value, ... }} with newlines allowed between elements. */
    Node.SetLit setLiteral() {
        Token open = expect("{", "'{'");
        List<Node> elems = new ArrayList<>();
        skipNewlines();
        while (!at("}")) {
            if (at("{")) {
                elems.addAll(setLiteral().elems()); // nested sets are flattened
            } else {
                elems.add(setElement());
            }
            skipNewlines();
            if (!accept(",")) break;
            skipNewlines();
        }
        skipNewlines();
        Token close = expect("}", null);
        return new Node.SetLit(span(open.loc(), close.loc()), elems);
    }

    private Node setElement() {
        Node key = at("$") ? rhsConcatItem() : rhsConcatItem();
        long timeout = -1;
        String comment = null;
        while (true) {
            if (accept("timeout")) {
                timeout = Units.timeMs(this, next());
            } else if (accept("comment")) {
                comment = next().text();
            } else {
                break;
            }
        }
        if (timeout >= 0 || comment != null) key = new Node.Elem(key.loc(), key, timeout, comment);
        if (accept(":")) {
            Node value = verdictOrValue();
            return new Node.Mapping(span(key.loc(), value.loc()), key, value);
        }
        return key;
    }

    Node verdictOrValue() {
        Token t = peek();
        if (t.kind() == Token.Kind.WORD && VERDICTS.contains(t.text())) {
            next();
            if (t.text().equals("jump") || t.text().equals("goto")) {
                Token c = identifier();
                return new Node.Verdict(span(t.loc(), c.loc()), t.text(), c.text());
            }
            return new Node.Verdict(t.loc(), t.text(), null);
        }
        return rhsConcatItem();
    }
}
