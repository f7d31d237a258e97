package org.jnft.nft;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Evaluates parsed declarations into the {@link Model} and nft's batch order, collecting every error. */
final class Evaluator {
    static final Map<String, Integer> PRIORITIES = Map.of("raw", -300, "mangle", -150, "dstnat", -100,
            "filter", 0, "security", 50, "srcnat", 100);
    private static final List<String> HOOKS = List.of("prerouting", "input", "forward", "output", "postrouting",
            "ingress", "egress");

    final Model model = new Model();
    final List<Diag> errors;
    /** Errors the kernel would report for a valid batch (missing objects): nft prints its batch first. */
    final List<Diag> kernelErrors = new ArrayList<>();

    Evaluator(List<Diag> errors) {
        this.errors = errors;
    }

    void run(List<Decl> decls) {
        for (Decl d : decls) {
            try {
                switch (d) {
                    case Decl.Table t -> tableBlock(t);
                    case Decl.Command c -> new CommandEvaluator(this).command(c);
                    default -> { }
                }
            } catch (EvalError e) {
                (e.kernel ? kernelErrors : errors).add(e.diag);
            } catch (RuntimeException e) {
                errors.add(new Diag(d.loc(), "Could not evaluate: " + e.getMessage()));
            }
        }
    }

    Model.Table table(String family, String name, Loc loc, boolean create) {
        Model.Table t = model.table(family, name);
        if (t == null) {
            if (!create) throw new EvalError(loc, "No such file or directory");
            t = new Model.Table(family, name);
            model.tables.put(family + " " + name, t);
        }
        return t;
    }

    void tableBlock(Decl.Table d) {
        Model.Table t = table(d.family(), d.name(), d.nameLoc(), true);
        t.flags.addAll(d.flags());
        List<Decl.Chain> chains = new ArrayList<>();
        for (Decl item : d.items()) {
            if (item instanceof Decl.Chain c) chains.add(c);
        }
        for (Decl.Chain c : chains) guard(() -> addChain(t, c));
        for (Decl item : d.items()) if (item instanceof Decl.Obj o) guard(() -> addObj(t, o));
        for (Decl item : d.items()) if (item instanceof Decl.Set s) guard(() -> addSet(t, s));
        for (Decl item : d.items()) if (item instanceof Decl.Flowtable f) guard(() -> addFlowtable(t, f));
        for (Decl.Chain c : chains) {
            Model.Chain mc = t.chains.get(c.name());
            if (mc == null) continue;
            for (Decl.Rule r : c.rules()) guardRule(r, () -> addRule(t, mc, r, -1));
        }
    }

    void guard(Runnable r) {
        try {
            r.run();
        } catch (EvalError e) {
            (e.kernel ? kernelErrors : errors).add(e.diag);
        }
    }

    /** Evaluation of one rule: an unexpected failure becomes an error at the rule, never an exception. */
    private void guardRule(Decl.Rule r, Runnable body) {
        try {
            body.run();
        } catch (EvalError e) {
            (e.kernel ? kernelErrors : errors).add(e.diag);
        } catch (RuntimeException e) {
            errors.add(new Diag(r.loc(), "Could not evaluate rule: " + e.getMessage()));
        }
    }

    void addChain(Model.Table t, Decl.Chain c) {
        Model.Chain mc = t.chains.get(c.name());
        boolean isNew = mc == null;
        if (isNew) mc = new Model.Chain(c.name());
        Decl.Hook h = c.hook();
        if (h != null) {
            if (!List.of("filter", "nat", "route").contains(h.type())) {
                throw new EvalError(h.typeLoc(), "unknown chain type");
            }
            if (!HOOKS.contains(h.hook())) throw new EvalError(h.hookLoc(), "unknown chain hook");
            mc.base = true;
            mc.type = h.type();
            mc.hook = h.hook();
            String named = priorityName(h.priority());
            if (named != null && PRIORITIES.containsKey(named) && !priorityNameAllowed(named, t.family, h.hook())) {
                throw new EvalError(h.prioLoc(), "invalid priority expression value in this context.");
            }
            mc.priority = priority(h.priority());
            mc.policy = h.policy();
            mc.devices = h.devices();
            if (t.family.equals("netdev")) {
                for (String dev : h.devices()) {
                    if (Constants.ifindex(dev) < 0) throw new EvalError(h.hookLoc(), "Interface does not exist");
                }
            }
        }
        if (c.comment() != null) mc.comment = c.comment();
        if (isNew) t.chains.put(c.name(), mc);
        model.batch.add(new Model.AddChain(t, mc));
    }

    /** The standard name a priority is written with ({@code srcnat}, {@code filter - 5}), or null. */
    private static String priorityName(Node n) {
        return switch (n) {
            case Node.Sym s when s.kind() == Token.Kind.WORD -> s.text();
            case Node.Binop b -> priorityName(b.left());
            default -> null;
        };
    }

    /**
     * nft 1.0.6's std_prio_family_hook_compat: filter for inet, ip, ip6, arp and netdev; raw, mangle and
     * security for inet, ip and ip6; dstnat at prerouting and srcnat at postrouting only (later nft releases
     * also allow them at output and input). Used for the chain's check and for the listing's names.
     */
    static boolean priorityNameAllowed(String name, String family, String hook) {
        boolean inet = family.equals("inet") || family.equals("ip") || family.equals("ip6");
        return switch (name) {
            case "filter" -> inet || family.equals("arp") || family.equals("netdev");
            case "raw", "mangle", "security" -> inet;
            case "dstnat" -> inet && hook.equals("prerouting");
            case "srcnat" -> inet && hook.equals("postrouting");
            default -> false;
        };
    }

    static int priority(Node n) {
        return switch (n) {
            case Node.Sym s when s.kind() == Token.Kind.NUMBER -> {
                try {
                    yield (int) Long.parseLong(s.text());
                } catch (NumberFormatException e) {
                    throw new EvalError(s.loc(), "invalid priority");
                }
            }
            case Node.Sym s -> {
                Integer p = PRIORITIES.get(s.text());
                if (p == null) throw new EvalError(s.loc(), "'" + s.text() + "' is invalid priority.");
                yield p;
            }
            case Node.Binop b -> priority(b.left()) + (b.op().equals("-") ? -1 : 1) * priority(b.right());
            default -> throw new EvalError(n.loc(), "invalid priority");
        };
    }

    void addObj(Model.Table t, Decl.Obj o) {
        Model.Obj obj = new Model.Obj(o.kind(), o.name(), o.spec(), o.comment());
        t.objects.put(o.name(), obj);
        model.batch.add(new Model.AddObj(t, obj));
    }

    void addSet(Model.Table t, Decl.Set d) {
        SetDef s = SetDecls.build(this, t, d);
        t.sets.put(d.name(), s);
        model.batch.add(new Model.AddSet(t, s, !s.elems.isEmpty()));
    }

    void addFlowtable(Model.Table t, Decl.Flowtable f) {
        if (f.hook() != null && !f.hook().equals("ingress")) throw new EvalError(f.hookLoc(), "unknown chain hook");
        Model.Flowtable old = t.flowtables.get(f.name());
        if (f.hook() == null && old == null) {
            // nft 1.0.6 sends this and the kernel refuses it; jnft says why.
            throw new EvalError(f.nameLoc(), "flowtable " + f.name() + " needs 'hook ingress priority PRIO'");
        }
        if (f.priority() instanceof Node.Sym s && s.kind() == Token.Kind.WORD && !s.text().equals("filter")
                || f.priority() instanceof Node.Binop b && b.left() instanceof Node.Sym s2 && !s2.text().equals("filter")
                && s2.kind() == Token.Kind.WORD) {
            throw new EvalError(f.prioLoc(), "invalid priority expression value.");
        }
        for (String dev : f.devices()) {
            if (dev.isEmpty()) throw new EvalError(f.nameLoc(), "flowtable " + f.name() + ": empty device name");
        }
        int prio = f.priority() == null ? (old == null ? 0 : old.priority()) : priority(f.priority());
        List<String> devices = new ArrayList<>(old == null ? List.of() : old.devices());
        for (String d : f.devices()) if (!devices.contains(d)) devices.add(d);
        Model.Flowtable ft = new Model.Flowtable(f.name(), f.hook() == null ? old.hook() : f.hook(), prio, devices,
                f.flags(), f.counter());
        t.flowtables.put(f.name(), ft);
        model.batch.add(new Model.AddFlowtable(t, ft));
    }

    /** Verdicts, reject and NAT end a rule: nothing may follow them. */
    static boolean isTerminal(Stmt s) {
        return s instanceof Stmt.Verdict || s instanceof Stmt.Reject || s instanceof Stmt.Nat;
    }

    /** Evaluates a rule; every statement's error is reported, the first one's as nft's. */
    void addRule(Model.Table t, Model.Chain c, Decl.Rule r, int insertAt) {
        RuleEvaluator ev = new RuleEvaluator(t);
        ev.chain = c;
        ev.allTables = model.tables.values();
        boolean failed = false;
        // As nft's rule_evaluate: statements in order, a statement after a terminal one is an error.
        Stmt terminal = null;
        for (Stmt s : r.stmts()) {
            try {
                if (terminal != null) {
                    throw new EvalError(s.loc(), terminal.loc(), "Statement after terminal statement has no effect");
                }
                ev.statement(s);
                if (isTerminal(s)) terminal = s;
            } catch (EvalError e) {
                errors.add(e.diag);
                failed = true;
                break;
            }
        }
        kernelErrors.addAll(ev.kernelErrors);
        if (failed) return;
        Model.Rule rule = new Model.Rule(List.copyOf(ev.out), r.comment(), List.copyOf(ev.anonSets), r, ev.ctx.deps);
        if (insertAt >= 0) c.rules.add(insertAt, rule); else c.rules.add(rule);
        model.batch.add(new Model.AddRule(t, c, rule));
    }
}
