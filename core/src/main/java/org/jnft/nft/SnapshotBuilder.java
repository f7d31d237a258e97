package org.jnft.nft;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.jnft.vm.Chain;
import org.jnft.vm.Expr;
import org.jnft.vm.Immediate;
import org.jnft.vm.Lookup;
import org.jnft.vm.NamedObject;
import org.jnft.vm.NftPacket;
import org.jnft.vm.NftSet;
import org.jnft.vm.ObjRef;
import org.jnft.vm.Rule;
import org.jnft.vm.Ruleset;
import org.jnft.vm.Verdict;

/** Compiles an evaluated {@link Model} into an immutable VM {@link Ruleset} (one generation). */
public final class SnapshotBuilder {
    private SnapshotBuilder() {}

    public static int family(String f) {
        return switch (f) {
            case "ip" -> NftPacket.NFPROTO_IPV4;
            case "ip6" -> NftPacket.NFPROTO_IPV6;
            case "inet" -> NftPacket.NFPROTO_INET;
            case "netdev" -> NftPacket.NFPROTO_NETDEV;
            default -> throw new IllegalArgumentException(f);
        };
    }

    public static int hook(String h) {
        return switch (h) {
            case "prerouting" -> NftPacket.HOOK_PREROUTING;
            case "input" -> NftPacket.HOOK_INPUT;
            case "forward" -> NftPacket.HOOK_FORWARD;
            case "output" -> NftPacket.HOOK_OUTPUT;
            case "postrouting" -> NftPacket.HOOK_POSTROUTING;
            default -> NftPacket.HOOK_INGRESS;
        };
    }

    public static Ruleset build(Model m, long generation) {
        return compile(m, generation).ruleset;
    }

    /** Compiles {@code m} and keeps the links from its statements to the VM's stateful objects. */
    public static LiveState compile(Model m, long generation) {
        List<Chain> chains = new ArrayList<>();
        Map<Ir, org.jnft.vm.Expr> stateful = new IdentityHashMap<>();
        Map<Model.Obj, NamedObject> objs = new IdentityHashMap<>();
        Map<SetDef, NftSet> liveSets = new IdentityHashMap<>();
        List<org.jnft.vm.FlowtableDef> flowtables = new ArrayList<>();
        for (Model.Table t : m.tables.values()) {
            for (Model.Flowtable f : t.flowtables.values()) {
                flowtables.add(new org.jnft.vm.FlowtableDef(t.family, t.name, f.name(), f.priority(), f.devices(),
                        f.counter(), f.flags().contains("offload")));
            }
        }
        buildChains(m, chains, stateful, objs, liveSets, flowtables);
        LiveState live = new LiveState(new Ruleset(generation, chains, flowtables));
        live.stateful.putAll(stateful);
        live.objects.putAll(objs);
        live.sets.putAll(liveSets);
        return live;
    }

    private static void buildChains(Model m, List<Chain> chains, Map<Ir, org.jnft.vm.Expr> stateful,
                                    Map<Model.Obj, NamedObject> objs, Map<SetDef, NftSet> liveSets,
                                    List<org.jnft.vm.FlowtableDef> flowtables) {
        Map<String, Integer> chainIndex = new HashMap<>();
        int n = 0;
        for (Model.Table t : m.tables.values()) {
            for (Model.Chain c : t.chains.values()) chainIndex.put(t.family + " " + t.name + " " + c.name, n++);
        }
        for (Model.Table t : m.tables.values()) {
            Linearizer lin = new Linearizer(t.name);
            Map<String, NamedObject> objects = new HashMap<>();
            for (Model.Obj o : t.objects.values()) {
                NamedObject no = object(o);
                objects.put(o.name(), no);
                objs.put(o, no);
            }
            Map<NftSet, Boolean> sealed = new IdentityHashMap<>();
            for (Model.Chain c : t.chains.values()) {
                List<Rule> rules = new ArrayList<>();
                long handle = 1;
                for (Model.Rule r : c.rules) {
                    List<Expr> exprs = lin.rule(r);
                    for (Expr e : exprs) {
                        resolve(e, t, chainIndex, objects, sealed);
                        if (e instanceof org.jnft.vm.FlowOffload fo) fo.index = flowtableIndex(flowtables, t, fo.flowtable);
                    }
                    rules.add(new Rule(exprs, handle++));
                }
                int policy = "drop".equals(c.policy) ? Verdict.DROP : Verdict.ACCEPT;
                chains.add(new Chain(t.name, c.name, c.base ? c.type : null, family(t.family), c.base ? hook(c.hook) : -1,
                        c.priority, policy, c.devices, rules));
            }
            stateful.putAll(lin.stateful);
            for (SetDef sd : t.sets.values()) {
                NftSet vs = lin.set(sd);
                if (sealed.put(vs, Boolean.TRUE) == null) vs.seal();
                liveSets.put(sd, vs);
            }
        }
    }

    private static int flowtableIndex(List<org.jnft.vm.FlowtableDef> flowtables, Model.Table t, String name) {
        for (int i = 0; i < flowtables.size(); i++) {
            org.jnft.vm.FlowtableDef f = flowtables.get(i);
            if (f.family().equals(t.family) && f.table().equals(t.name) && f.name().equals(name)) return i;
        }
        return -1;
    }

    private static NamedObject object(Model.Obj o) {
        return switch (o.spec()) {
            case Stmt.Counter c -> new NamedObject(NamedObject.COUNTER, o.name(), new org.jnft.vm.Counter(c.packets(), c.bytes()));
            case Stmt.Quota q -> new NamedObject(NamedObject.QUOTA, o.name(), new org.jnft.vm.Quota(q.bytes(), q.used(), q.over()));
            case Stmt.Limit l -> new NamedObject(NamedObject.LIMIT, o.name(), new org.jnft.vm.Limit(
                    l.rateUnit() == null ? l.rate() : l.rate() * Units.bytes(l.rateUnit()), Units.seconds(l.timeUnit()),
                    l.burst(), l.rateUnit() != null, l.over()));
            default -> throw new IllegalStateException("object " + o.name());
        };
    }

    private static void resolve(Expr e, Model.Table t, Map<String, Integer> chainIndex, Map<String, NamedObject> objects,
                                Map<NftSet, Boolean> sealed) {
        String prefix = t.family + " " + t.name + " ";
        switch (e) {
            case Immediate i when i.chainName != null -> i.chainIndex = chainIndex.getOrDefault(prefix + i.chainName, -1);
            case ObjRef o when o.set == null -> o.object = objects.get(o.name);
            case ObjRef o -> {
                seal(o.set, sealed);
                o.set.objects = new NamedObject[o.set.elements.size()];
                for (int k = 0; k < o.set.elements.size(); k++) o.set.objects[k] = objects.get(o.set.elements.get(k).objName());
            }
            case Lookup l -> {
                seal(l.set, sealed);
                if (l.set.verdictMap) {
                    l.set.chainIndexes = new int[l.set.elements.size()];
                    for (int k = 0; k < l.set.elements.size(); k++) {
                        String c = l.set.elements.get(k).chain();
                        l.set.chainIndexes[k] = c == null ? -1 : chainIndex.getOrDefault(prefix + c, -1);
                    }
                }
            }
            case org.jnft.vm.Dynset d -> seal(d.set, sealed);
            default -> { }
        }
    }

    private static void seal(NftSet s, Map<NftSet, Boolean> sealed) {
        if (sealed.put(s, Boolean.TRUE) == null) s.seal();
    }
}
