package org.jnft.nft;

import java.util.ArrayList;
import java.util.List;

/** Declarations and commands as parsed. */
public sealed interface Decl {
    Loc loc();

    /** {@code type filter hook input priority 0; policy drop;} and devices; prioLoc spans {@code priority EXPR}. */
    record Hook(String type, Loc typeLoc, String hook, Loc hookLoc, List<String> devices, Node priority,
                Loc prioLoc, String policy) {}

    record Rule(Loc loc, List<Stmt> stmts, String comment) implements Decl {}

    record Chain(Loc loc, String name, Loc nameLoc, Hook hook, List<Rule> rules, String comment) implements Decl {}

    /** Key and data types are given either as type names ({@code type a . b : c}) or typeof expressions. */
    record Set(Loc loc, String name, Loc nameLoc, boolean map, List<String> keyTypes, List<Node> keyTypeof,
               String dataType, Node dataTypeof, List<String> flags, long timeoutMs, int size,
               Node.SetLit elements, String comment, String policy, boolean counter) implements Decl {}

    /** Named counter, quota or limit. */
    record Obj(Loc loc, String kind, String name, Loc nameLoc, Stmt spec, String comment) implements Decl {}

    /** prioLoc spans {@code priority EXPR}. */
    record Flowtable(Loc loc, String name, Loc nameLoc, String hook, Loc hookLoc, Node priority, Loc prioLoc,
                     List<String> devices, List<String> flags, boolean counter) implements Decl {}

    /** A table block or {@code add table}: its items in source order. */
    record Table(Loc loc, String family, String name, Loc nameLoc, List<Decl> items, List<String> flags,
                 String comment) implements Decl {
        public static Table empty(Loc loc, String family, String name, Loc nameLoc) {
            return new Table(loc, family, name, nameLoc, new ArrayList<>(), new ArrayList<>(), null);
        }
    }

    /**
     * A flat command. verb: add, create, insert, replace, delete, flush; what: table, chain, rule, set, map,
     * element, flowtable, counter, quota, ruleset. body: the declaration (Chain/Set/Rule/...) when any.
     */
    record Command(Loc loc, String verb, String what, String family, String table, Loc tableLoc, String name,
                   Loc nameLoc, Decl body, Node.SetLit elements, Long handle) implements Decl {}
}
