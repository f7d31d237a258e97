package org.jnft.nft;

import java.util.List;

/** Flat commands: {@code add|create|insert|replace|delete|flush} of tables, chains, rules, sets, elements. */
final class CommandEvaluator {
    private final Evaluator ev;

    CommandEvaluator(Evaluator ev) {
        this.ev = ev;
    }

    void command(Decl.Command c) {
        String verb = c.verb();
        switch (c.what()) {
            case "ruleset" -> {
                if (c.family() == null) ev.model.tables.clear();
                else ev.model.tables.values().removeIf(t -> t.family.equals(c.family()));
            }
            case "table" -> {
                if (verb.equals("delete")) {
                    if (ev.model.tables.remove(c.family() + " " + c.table()) == null) {
                        throw new EvalError(c.tableLoc(), "Could not process rule: No such file or directory", true);
                    }
                } else if (verb.equals("flush")) {
                    ev.table(c.family(), c.table(), c.tableLoc(), false).chains.values().forEach(ch -> ch.rules.clear());
                } else {
                    ev.tableBlock((Decl.Table) c.body());
                }
            }
            case "chain" -> {
                Model.Table t = ev.table(c.family(), c.table(), c.tableLoc(), false);
                switch (verb) {
                    case "delete" -> {
                        if (t.chains.remove(c.name()) == null) {
                            throw new EvalError(c.nameLoc(), "Could not process rule: No such file or directory", true);
                        }
                    }
                    case "flush" -> chain(t, c).rules.clear();
                    default -> {
                        Decl.Chain d = (Decl.Chain) c.body();
                        ev.addChain(t, d);
                        Model.Chain mc = t.chains.get(d.name());
                        for (Decl.Rule r : d.rules()) ev.guard(() -> ev.addRule(t, mc, r, -1));
                    }
                }
            }
            case "rule" -> {
                Model.Table t = kernelTable(c);
                Model.Chain ch = chain(t, c);
                Decl.Rule r = (Decl.Rule) c.body();
                switch (verb) {
                    case "insert" -> ev.addRule(t, ch, r, 0);
                    case "delete" -> { }
                    default -> ev.addRule(t, ch, r, -1);
                }
            }
            case "set", "map" -> {
                Model.Table t = ev.table(c.family(), c.table(), c.tableLoc(), false);
                switch (verb) {
                    case "delete" -> t.sets.remove(c.name());
                    case "flush" -> set(t, c).elems.clear();
                    default -> ev.addSet(t, (Decl.Set) c.body());
                }
            }
            case "element" -> {
                Model.Table t = ev.table(c.family(), c.table(), c.tableLoc(), false);
                SetDef s = set(t, c);
                if (verb.equals("delete")) {
                    return;
                }
                int before = s.elems.size();
                ExprEvaluator.fillElements(s, c.elements().elems(), s.flags.contains("auto-merge"));
                List<SetDef.Elem> added = List.copyOf(s.elems.subList(before, s.elems.size()));
                if (s.interval && !s.isConcat()) ExprEvaluator.sortIntervals(s.elems, s);
                ev.model.batch.add(new Model.AddElements(t, s, added));
            }
            case "flowtable" -> {
                if (verb.equals("delete")) {
                    Model.Table t = kernelTable(c);
                    if (c.name() != null && t.flowtables.remove(c.name()) == null) {
                        throw new EvalError(c.nameLoc(), "Could not process rule: No such file or directory", true);
                    }
                    return;
                }
                ev.addFlowtable(ev.table(c.family(), c.table(), c.tableLoc(), false), (Decl.Flowtable) c.body());
            }
            case "counter", "quota", "limit" -> {
                Model.Table t = ev.table(c.family(), c.table(), c.tableLoc(), false);
                if (verb.equals("delete")) t.objects.remove(c.name());
                else ev.addObj(t, (Decl.Obj) c.body());
            }
            default -> throw new EvalError(c.loc(), "unsupported command");
        }
    }

    /** A missing table is reported by the kernel for rule commands and deletions. */
    private Model.Table kernelTable(Decl.Command c) {
        Model.Table t = ev.model.table(c.family(), c.table());
        if (t == null) throw new EvalError(c.tableLoc(), "Could not process rule: No such file or directory", true);
        return t;
    }

    private Model.Chain chain(Model.Table t, Decl.Command c) {
        Model.Chain ch = t.chains.get(c.name());
        if (ch == null) throw new EvalError(c.nameLoc(), "Could not process rule: No such file or directory", true);
        return ch;
    }

    private SetDef set(Model.Table t, Decl.Command c) {
        SetDef s = t.sets.get(c.name());
        if (s == null) throw new EvalError(c.nameLoc(), "No such file or directory");
        return s;
    }
}
