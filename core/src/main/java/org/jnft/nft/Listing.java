package org.jnft.nft;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** {@code nft list ruleset} text of a model: tables with objects, sets, flowtables and chains. */
public final class Listing {
    private Listing() {}

    /** Text of a parsed expression as nft lists it (used for typeof declarations). */
    static String exprText(Node n) {
        return switch (n) {
            case Node.Payload p -> p.proto() + " " + p.field();
            case Node.Meta m -> (ExprParser.META_UNQUALIFIED.contains(m.key()) && !m.key().equals("mark")
                    && !m.key().equals("priority") ? "" : "meta ") + m.key();
            case Node.Ct c -> "ct " + (c.dir() == null ? "" : c.dir() + " ") + (c.family() == null ? "" : c.family() + " ") + c.key();
            case Node.Concat c -> String.join(" . ", c.parts().stream().map(Listing::exprText).toList());
            default -> n.toString();
        };
    }

    /** The listing, naming interface indexes with {@code ifaces}. */
    public static String print(Model m, Interfaces ifaces) {
        return ScopedValue.where(Interfaces.CURRENT, ifaces).call(() -> print(m));
    }

    /** The listing with counters, quotas and set elements as they stand in {@code live}. */
    public static String print(Model m, Interfaces ifaces, LiveState live) {
        return ScopedValue.where(Interfaces.CURRENT, ifaces).where(LiveState.CURRENT, live).call(() -> print(m));
    }

    public static String print(Model m) {
        StringBuilder sb = new StringBuilder();
        for (Model.Table t : m.tables.values()) {
            sb.append("table ").append(t.family).append(' ').append(t.name).append(" {\n");
            List<String> blocks = new ArrayList<>();
            if (!t.flags.isEmpty()) sb.append("\tflags ").append(String.join(",", t.flags)).append("\n\n");
            for (Model.Obj o : t.objects.values()) blocks.add(object(o));
            for (SetDef s : t.sets.values()) blocks.add(SetListing.block(s));
            for (Model.Flowtable f : t.flowtables.values()) blocks.add(flowtable(f));
            for (Model.Chain c : t.chains.values()) blocks.add(chain(t, c));
            sb.append(String.join("\n", blocks));
            sb.append("}\n");
        }
        return sb.toString();
    }

    private static String object(Model.Obj o) {
        Stmt spec = LiveState.CURRENT.isBound() ? LiveState.CURRENT.get().objectSpec(o) : o.spec();
        String body = switch (spec) {
            case Stmt.Counter c -> "packets " + c.packets() + " bytes " + c.bytes();
            case Stmt.Quota q -> (q.over() ? "over " : "") + ValueText.bytes(q.bytes())
                    + (q.used() > 0 ? " used " + ValueText.bytes(q.used()) : "");
            case Stmt.Limit l -> "rate " + (l.over() ? "over " : "") + l.rate() + "/" + l.timeUnit()
                    + (l.burst() != 5 ? " burst " + l.burst() + " packets" : "");
            default -> "";
        };
        return "\t" + o.kind() + " " + o.name() + " {\n" + (o.comment() != null ? "\t\tcomment \"" + o.comment() + "\"\n" : "")
                + "\t\t" + body + "\n\t}\n";
    }

    private static String flowtable(Model.Flowtable f) {
        StringBuilder sb = new StringBuilder("\tflowtable " + f.name() + " {\n");
        sb.append("\t\thook ingress priority ").append(priority(f.priority(), "netdev", "ingress")).append('\n');
        if (!f.devices().isEmpty()) sb.append("\t\tdevices = { ").append(String.join(", ", f.devices().reversed())).append(" }\n");
        if (f.flags().contains("offload")) sb.append("\t\tflags offload\n");
        if (f.counter()) sb.append("\t\tcounter\n");
        return sb.append("\t}\n").toString();
    }

    private static final Map<Integer, String> STANDARD = Map.of(-300, "raw", -150, "mangle", -100, "dstnat",
            0, "filter", 50, "security", 100, "srcnat");

    /** A priority as nft prints it: the nearest standard name within 10 (name + N / name - N), else a number. */
    static String priority(int prio, String family, String hook) {
        for (Map.Entry<Integer, String> e : STANDARD.entrySet()) {
            String name = e.getValue();
            if (!Evaluator.priorityNameAllowed(name, family, hook)) continue;
            int d = prio - e.getKey();
            if (d == 0) return name;
            if (Math.abs(d) <= 10) return name + (d > 0 ? " + " : " - ") + Math.abs(d);
        }
        return Integer.toString(prio);
    }

    private static String chain(Model.Table t, Model.Chain c) {
        StringBuilder sb = new StringBuilder("\tchain " + c.name + " {\n");
        if (c.comment != null) sb.append("\t\tcomment \"").append(c.comment).append("\"\n");
        if (c.base) {
            sb.append("\t\ttype ").append(c.type).append(" hook ").append(c.hook);
            if (c.devices.size() == 1) sb.append(" device \"").append(c.devices.get(0)).append('"');
            sb.append(" priority ").append(priority(c.priority, t.family, c.hook)).append("; policy ")
                    .append(c.policy == null ? "accept" : c.policy).append(";\n");
        }
        for (Model.Rule r : c.rules) sb.append("\t\t").append(RuleListing.rule(t, r)).append('\n');
        return sb.append("\t}\n").toString();
    }
}
