package org.jnft.nft;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The nftables grammar jnft supports: table blocks and flat commands, with {@code define} handled as
 * parsing goes (nft expands variables at parse time). {@code include} is resolved by {@link Frontend}.
 */
final class Parser extends StmtParser {
    static final Set<String> FAMILIES = Set.of("ip", "ip6", "inet", "netdev", "arp", "bridge");
    private static final Set<String> VERBS = Set.of("add", "create", "insert", "replace", "delete", "flush",
            "list", "reset", "rename", "describe", "monitor", "export", "import", "table", "chain", "rule", "set",
            "map", "element", "flowtable", "counter", "quota", "define", "redefine", "undefine", "include");

    interface Includer {
        List<Decl> include(Token nameToken, Map<String, Node> defines);
    }

    private final List<Diag> errors;
    private final Includer includer;

    Parser(List<Token> toks, Map<String, Node> defines, List<Diag> errors, Includer includer) {
        super(toks, defines);
        this.errors = errors;
        this.includer = includer;
    }

    List<Decl> parseAll() {
        List<Decl> out = new ArrayList<>();
        while (true) {
            skipSeparators();
            if (peek().kind() == Token.Kind.EOF) return out;
            int start = pos;
            try {
                topLevel(out);
                Token t = peek();
                if (t.kind() != Token.Kind.EOF) endOfLine("newline or semicolon");
            } catch (SyntaxError e) {
                errors.add(e.diag);
                recover(start);
            } catch (RuntimeException e) {
                // Never let malformed input escape as an exception: report it where parsing stopped.
                Token t = toks.get(Math.min(pos, toks.size() - 1));
                errors.add(new Diag(t.loc(), null, "syntax error, unexpected " + t.describe(), t.kind() == Token.Kind.EOF));
                recover(start);
            }
        }
    }

    /** Skips to the end of the failed command: the next newline at brace depth 0. */
    private void recover(int start) {
        int depth = 0;
        if (pos == start) next();
        for (int k = start; k < pos; k++) {
            if (toks.get(k).is("{")) depth++;
            if (toks.get(k).is("}")) depth--;
        }
        while (peek().kind() != Token.Kind.EOF) {
            Token t = next();
            if (t.is("{")) depth++;
            else if (t.is("}")) depth--;
            else if (t.kind() == Token.Kind.NEWLINE && depth <= 0) return;
        }
    }

    private void topLevel(List<Decl> out) {
        Token t = peek();
        if (t.is("include")) {
            next();
            Token name = next();
            if (name.kind() != Token.Kind.STRING) throw error(name, "quoted string");
            out.addAll(includer.include(name, defines));
            return;
        }
        if (t.is("define") || t.is("redefine")) {
            next();
            Token name = identifier();
            expect("=", "'='");
            Node value = at("{") ? setLiteral() : rhs();
            if (t.is("define") && defines.containsKey(name.text())) {
                throw error(name.loc(), "redefinition of symbol '" + name.text() + "'");
            }
            defines.put(name.text(), value);
            return;
        }
        if (t.is("undefine")) {
            next();
            defines.remove(identifier().text());
            return;
        }
        if (t.is("table")) {
            next();
            out.add(tableSpecAndBlock(t, true));
            return;
        }
        if (t.isWord() && Set.of("add", "create", "insert", "replace", "delete", "flush").contains(t.text())) {
            next();
            out.add(command(t, t.text()));
            return;
        }
        if (t.isWord() && Set.of("chain", "rule", "set", "map", "element", "flowtable", "counter", "quota", "limit")
                .contains(t.text()) && !t.is("limit")) {
            out.add(command(t, "add"));
            return;
        }
        if (t.isWord() && VERBS.contains(t.text())) {
            throw error(t.loc(), "command '" + t.text() + "' is not supported by jnft");
        }
        // nft reads anything else as "add rule" without the keywords: [family] table chain rule.
        out.add(ruleCommand(t, "add"));
    }

    private String family() {
        if (peek().isWord() && FAMILIES.contains(peek().text())) {
            Token f = next();
            if (f.is("arp") || f.is("bridge")) {
                throw error(f.loc(), "family " + f.text() + " is not supported by jnft (only ip, ip6, inet, netdev)");
            }
            return f.text();
        }
        return "ip";
    }

    private Decl.Table tableSpecAndBlock(Token kw, boolean blockAllowed) {
        String fam = family();
        Token name = identifier();
        Decl.Table table = Decl.Table.empty(span(kw.loc(), name.loc()), fam, name.text(), name.loc());
        if (blockAllowed && at("{")) tableBlock(table);
        return table;
    }

    private void tableBlock(Decl.Table table) {
        expect("{", "'{'");
        while (true) {
            skipSeparators();
            Token t = peek();
            if (t.is("}")) {
                next();
                return;
            }
            switch (t.isWord() ? t.text() : "") {
                case "chain" -> { next(); table.items().add(chain(t, identifier(), true)); }
                case "set", "map" -> { next(); table.items().add(set(t, identifier())); }
                case "counter", "quota", "limit" -> { next(); table.items().add(object(t, identifier())); }
                case "flowtable" -> { next(); table.items().add(flowtable(t, identifier())); }
                case "flags" -> {
                    next();
                    do table.flags().add(next().text()); while (accept(","));
                }
                case "comment" -> { next(); next(); }
                default -> throw error(t, null);
            }
            if (!at("}")) endOfLine("newline or semicolon");
            else if (toks.get(pos - 1).is("}")) throw error(peek(), "newline or semicolon");
        }
    }

    private Decl.Chain chain(Token kw, Token name, boolean blockRequired) {
        Decl.Hook hook = null;
        List<Decl.Rule> rules = new ArrayList<>();
        String comment = null;
        if (!at("{")) {
            if (blockRequired) throw error(peek(), "'{'");
            return new Decl.Chain(span(kw.loc(), name.loc()), name.text(), name.loc(), null, rules, null);
        }
        next();
        String policy = null;
        while (true) {
            skipSeparators();
            Token t = peek();
            if (t.is("}")) {
                next();
                break;
            }
            if (t.kind() == Token.Kind.EOF) throw error(t, null);
            if (t.is("type")) {
                hook = hookSpec(policy);
                endOfLine("newline or semicolon");
                continue;
            }
            if (t.is("policy")) {
                next();
                Token p = peek();
                if (!p.is("accept") && !p.is("drop")) throw error(p, "accept or drop or '$'");
                next();
                policy = p.text();
                if (hook != null) hook = new Decl.Hook(hook.type(), hook.typeLoc(), hook.hook(), hook.hookLoc(),
                        hook.devices(), hook.priority(), hook.prioLoc(), policy);
                endOfLine("newline or semicolon");
                continue;
            }
            if (t.is("comment") && (peek(1).kind() == Token.Kind.STRING)) {
                next();
                comment = next().text();
                endOfLine("newline or semicolon");
                continue;
            }
            int start = pos;
            try {
                Decl.Rule r = rule();
                rules.add(r);
                endOfLine("newline or semicolon");
            } catch (SyntaxError e) {
                // Report it and go on with the next rule of this chain, so later errors are found too.
                errors.add(e.diag);
                skipRule(start);
            }
        }
        return new Decl.Chain(span(kw.loc(), name.loc()), name.text(), name.loc(), hook, rules, comment);
    }

    /** Skips to the end of the current rule: a separator at the chain's brace depth, or its closing brace. */
    private void skipRule(int start) {
        if (pos == start) next();
        int depth = 0;
        while (peek().kind() != Token.Kind.EOF) {
            Token t = peek();
            if (t.is("{")) depth++;
            if (t.is("}")) {
                if (depth == 0) return;
                depth--;
            }
            if (depth == 0 && (t.kind() == Token.Kind.NEWLINE || t.is(";"))) {
                next();
                return;
            }
            next();
        }
    }

    private Decl.Hook hookSpec(String policy) {
        next();
        Token type = next();
        expect("hook", "hook");
        Token hook = next();
        List<String> devices = new ArrayList<>();
        if (accept("device")) {
            devices.add(next().text());
        } else if (accept("devices")) {
            expect("=", "'='");
            devices.addAll(deviceList());
        }
        Token kw = peek();
        expect("priority", "priority");
        Node prio = priority();
        return new Decl.Hook(type.text(), type.loc(), hook.text(), hook.loc(), devices, prio, span(kw.loc(), prio.loc()),
                policy);
    }

    private List<String> deviceList() {
        List<String> devs = new ArrayList<>();
        if (at("$")) {
            Node v = rhsPrimary();
            collectDevices(v, devs);
            return devs;
        }
        expect("{", "'{'");
        skipNewlines();
        while (!at("}")) {
            if (peek().isWord() && peek().text().endsWith("*")) throw error(peek(), "comma or '}'");
            Node d = rhsPrimary();
            collectDevices(d, devs);
            skipNewlines();
            if (!accept(",")) break;
            skipNewlines();
        }
        if (!at("}")) throw error(peek(), "comma or '}'");
        expect("}", "'}'");
        return devs;
    }

    private void collectDevices(Node n, List<String> out) {
        switch (n) {
            case Node.Sym s -> out.add(s.text());
            case Node.SetLit l -> l.elems().forEach(e -> collectDevices(e, out));
            case Node.ListE l -> l.items().forEach(e -> collectDevices(e, out));
            default -> throw error(n.loc(), "invalid device");
        }
    }

    /** {@code 0}, {@code -100}, {@code filter}, {@code dstnat - 5}, {@code $var}. */
    private Node priority() {
        Token t = peek();
        Node base;
        if (t.is("-")) {
            next();
            Token n = peek();
            if (n.kind() != Token.Kind.NUMBER) throw error(n, "number");
            next();
            base = new Node.Sym(span(t.loc(), n.loc()), "-" + n.text(), Token.Kind.NUMBER);
        } else {
            base = rhsPrimary();
        }
        if ((at("+") || at("-")) && peek(1).kind() == Token.Kind.NUMBER) {
            String op = next().text();
            Token n = next();
            Node off = new Node.Sym(n.loc(), n.text(), Token.Kind.NUMBER);
            return new Node.Binop(span(base.loc(), n.loc()), op, base, off);
        }
        return base;
    }

    private Decl.Set set(Token kw, Token name) {
        boolean map = kw.is("map");
        List<String> keyTypes = new ArrayList<>();
        List<Node> keyTypeof = new ArrayList<>();
        String dataType = null;
        Node dataTypeof = null;
        List<String> flags = new ArrayList<>();
        long timeout = 0;
        int size = 0;
        Node.SetLit elements = null;
        String comment = null, policy = null;
        boolean counter = false;
        expect("{", "'{'");
        while (true) {
            skipSeparators();
            Token t = peek();
            if (t.is("}")) {
                next();
                break;
            }
            switch (t.isWord() ? t.text() : "") {
                case "type" -> {
                    next();
                    keyTypes.add(identifierOrKeyword());
                    while (accept(".")) keyTypes.add(identifierOrKeyword());
                    if (accept(":")) {
                        dataType = identifierOrKeyword();
                        while (accept(".")) dataType += " . " + identifierOrKeyword(); // concatenated data (nat maps)
                    }
                }
                case "typeof" -> {
                    next();
                    Node k = lhs();
                    if (k instanceof Node.Concat c) keyTypeof.addAll(c.parts()); else keyTypeof.add(k);
                    if (accept(":")) dataTypeof = lhs();
                }
                case "flags" -> {
                    next();
                    do flags.add(next().text()); while (accept(","));
                }
                case "timeout" -> { next(); timeout = Units.timeMs(this, next()); }
                case "gc-interval" -> { next(); next(); }
                case "size" -> { next(); size = (int) number(); }
                case "policy" -> { next(); policy = next().text(); }
                case "counter" -> { next(); counter = true; }
                case "auto-merge" -> { next(); flags.add("auto-merge"); }
                case "comment" -> { next(); comment = next().text(); }
                case "elements" -> {
                    next();
                    expect("=", "'='");
                    elements = at("$") ? (Node.SetLit) rhsPrimary() : setLiteral();
                }
                default -> throw error(t, null);
            }
        }
        return new Decl.Set(span(kw.loc(), name.loc()), name.text(), name.loc(), map || dataType != null || dataTypeof != null,
                keyTypes, keyTypeof, dataType, dataTypeof, flags, timeout, size, elements, comment, policy, counter);
    }

    private String identifierOrKeyword() {
        Token t = next();
        if (t.kind() != Token.Kind.WORD && t.kind() != Token.Kind.STRING) throw error(t, "string");
        return t.text();
    }

    private Decl.Obj object(Token kw, Token name) {
        String kind = kw.text();
        Stmt spec = null;
        String comment = null;
        if (accept("{")) {
            while (true) {
                skipSeparators();
                if (accept("}")) break;
                int before = pos;
                if (accept("comment")) {
                    comment = next().text();
                    continue;
                }
                Token t = peek();
                switch (kind) {
                    case "counter" -> {
                        long pk = 0, by = 0;
                        if (accept("packets")) pk = number();
                        if (accept("bytes")) by = number();
                        spec = new Stmt.Counter(t.loc(), pk, by);
                    }
                    case "quota" -> spec = quotaRest(t);
                    default -> spec = limitRest(t);
                }
                if (pos == before) throw error(peek(), null);
            }
        }
        if (spec == null) spec = switch (kind) {
            case "counter" -> new Stmt.Counter(kw.loc(), 0, 0);
            case "quota" -> throw error(peek(), null);
            default -> throw error(peek(), null);
        };
        return new Decl.Obj(span(kw.loc(), name.loc()), kind, name.text(), name.loc(), spec, comment);
    }

    private Decl.Flowtable flowtable(Token kw, Token name) {
        String hook = null;
        Loc hookLoc = null, prioLoc = null;
        Node prio = null;
        List<String> devices = new ArrayList<>();
        List<String> flags = new ArrayList<>();
        boolean counter = false;
        expect("{", "'{'");
        while (true) {
            skipSeparators();
            Token t = peek();
            if (t.is("}")) {
                next();
                break;
            }
            switch (t.isWord() ? t.text() : "") {
                case "hook" -> {
                    next();
                    Token h = next();
                    hook = h.text();
                    hookLoc = h.loc();
                    if (at("priority")) {
                        Token p = next();
                        prio = priority();
                        prioLoc = span(p.loc(), prio.loc());
                    }
                    endOfLine("newline or semicolon");
                }
                case "devices" -> {
                    next();
                    expect("=", "'='");
                    devices.addAll(deviceList());
                    endOfLine("newline or semicolon");
                }
                case "flags" -> {
                    next();
                    do flags.add(next().text()); while (accept(","));
                    endOfLine("newline or semicolon");
                }
                case "counter" -> { next(); counter = true; }
                default -> throw error(t, null);
            }
        }
        return new Decl.Flowtable(span(kw.loc(), name.loc()), name.text(), name.loc(), hook, hookLoc, prio, prioLoc,
                devices, flags, counter);
    }

    private Decl command(Token verb, String v) {
        Token what = peek();
        String w = what.isWord() ? what.text() : "";
        if (v.equals("flush") && w.equals("ruleset")) {
            next();
            String fam = null;
            if (peek().isWord() && FAMILIES.contains(peek().text())) fam = family();
            return new Decl.Command(span(verb.loc(), prevLoc()), "flush", "ruleset", fam, null, null, null, null, null, null, null);
        }
        switch (w) {
            case "table" -> {
                next();
                Decl.Table t = tableSpecAndBlock(what, true);
                return new Decl.Command(span(verb.loc(), t.loc()), v, "table", t.family(), t.name(), t.nameLoc(),
                        null, null, t, null, null);
            }
            case "chain" -> {
                next();
                String fam = family();
                Token table = identifier();
                Token name = identifier();
                Decl.Chain c = chain(what, name, false);
                return new Decl.Command(span(verb.loc(), prevLoc()), v, "chain", fam, table.text(), table.loc(),
                        name.text(), name.loc(), c, null, null);
            }
            case "rule" -> {
                next();
                return ruleCommand(verb, v);
            }
            case "set", "map" -> {
                next();
                String fam = family();
                Token table = identifier();
                Token name = identifier();
                Decl body = v.equals("delete") || v.equals("flush") ? null : set(what, name);
                return new Decl.Command(span(verb.loc(), prevLoc()), v, w, fam, table.text(), table.loc(),
                        name.text(), name.loc(), body, null, null);
            }
            case "element" -> {
                next();
                String fam = family();
                Token table = identifier();
                Token name = identifier();
                Node.SetLit elems = setLiteral();
                return new Decl.Command(span(verb.loc(), prevLoc()), v, "element", fam, table.text(), table.loc(),
                        name.text(), name.loc(), null, elems, null);
            }
            case "flowtable", "counter", "quota", "limit" -> {
                next();
                String fam = family();
                Token table = identifier();
                if (v.equals("delete") && accept("handle")) {
                    long h = number();
                    return new Decl.Command(span(verb.loc(), prevLoc()), v, w, fam, table.text(), table.loc(), null,
                            null, null, null, h);
                }
                Token name = identifier();
                Decl body = null;
                if (!v.equals("delete")) {
                    body = w.equals("flowtable") ? flowtable(what, name) : object(what, name);
                }
                return new Decl.Command(span(verb.loc(), prevLoc()), v, w, fam, table.text(), table.loc(),
                        name.text(), name.loc(), body, null, null);
            }
            default -> throw error(what, null);
        }
    }

    private Decl.Command ruleCommand(Token verb, String v) {
        String fam = family();
        Token table = identifier();
        Token chain = identifier();
        Long handle = null;
        if (accept("handle") || accept("position") || accept("index")) handle = number();
        Decl.Rule rule = v.equals("delete") ? null : rule();
        return new Decl.Command(span(verb.loc(), prevLoc()), v, "rule", fam, table.text(), table.loc(),
                chain.text(), chain.loc(), rule, null, handle);
    }
}
