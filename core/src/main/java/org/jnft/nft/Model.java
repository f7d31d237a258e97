package org.jnft.nft;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The evaluated ruleset: tables with their chains, sets, objects and flowtables, in nft's order. */
public final class Model {
    public static final class Table {
        public final String family, name;
        public final Map<String, Chain> chains = new LinkedHashMap<>();
        public final Map<String, SetDef> sets = new LinkedHashMap<>();
        public final Map<String, Obj> objects = new LinkedHashMap<>();
        public final Map<String, Flowtable> flowtables = new LinkedHashMap<>();
        public final List<String> flags = new ArrayList<>();

        public Table(String family, String name) {
            this.family = family;
            this.name = name;
        }
    }

    public static final class Chain {
        public final String name;
        public String type, hook, policy;
        public int priority;
        public List<String> devices = List.of();
        public boolean base;
        public String comment;
        public final List<Rule> rules = new ArrayList<>();

        public Chain(String name) {
            this.name = name;
        }
    }

    /** stmts: evaluated statements with dependencies; deps: those the evaluator added (not written). */
    public record Rule(List<Ir> stmts, String comment, List<SetDef> anonSets, Decl.Rule source, java.util.Set<Ir> deps) {}

    /** Named counter/quota/limit with its parameters (as parsed statements). */
    public record Obj(String kind, String name, Stmt spec, String comment) {}

    public record Flowtable(String name, String hook, int priority, List<String> devices, List<String> flags,
                            boolean counter) {}

    /** One message of nft's batch, in order: what {@code --debug=netlink} prints. */
    public sealed interface BatchItem {
        Table table();
    }

    public record AddChain(Table table, Chain chain) implements BatchItem {}

    public record AddSet(Table table, SetDef set, boolean withElements) implements BatchItem {}

    public record AddElements(Table table, SetDef set, List<SetDef.Elem> elems) implements BatchItem {}

    public record AddObj(Table table, Obj obj) implements BatchItem {}

    public record AddFlowtable(Table table, Flowtable ft) implements BatchItem {}

    public record AddRule(Table table, Chain chain, Rule rule) implements BatchItem {}

    public final Map<String, Table> tables = new LinkedHashMap<>();
    public final List<BatchItem> batch = new ArrayList<>();
    /** Errors that real nft gets from the kernel after sending this batch (the batch is still valid text). */
    public final List<Diag> kernelErrors = new ArrayList<>();

    public Table table(String family, String name) {
        return tables.get(family + " " + name);
    }
}
