package org.jnft.vm;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * An immutable ruleset snapshot (a generation): all chains, indexed so that jump/goto verdicts carry a
 * chain index, and the base chains of each (family, hook) sorted by priority.
 */
public final class Ruleset {
    public final long generation;
    final Chain[] chains;
    /** The flowtables this generation declares, in ruleset order ({@link FlowOffload#index} points here). */
    public final List<FlowtableDef> flowtables;
    private final Chain[][] byHook = new Chain[16 * 6][];

    public Ruleset(long generation, List<Chain> chains) {
        this(generation, chains, List.of());
    }

    public Ruleset(long generation, List<Chain> chains, List<FlowtableDef> flowtables) {
        this.generation = generation;
        this.flowtables = List.copyOf(flowtables);
        this.chains = chains.toArray(new Chain[0]);
        for (int i = 0; i < this.chains.length; i++) {
            if (this.chains[i].index >= 0) throw new IllegalArgumentException("chain already in a ruleset");
            this.chains[i].index = i;
        }
        for (int f = 0; f < 16; f++) {
            for (int h = 0; h < 6; h++) {
                List<Chain> l = new ArrayList<>();
                for (Chain c : chains) {
                    boolean fam = c.family == f || (c.family == NftPacket.NFPROTO_INET
                            && (f == NftPacket.NFPROTO_IPV4 || f == NftPacket.NFPROTO_IPV6));
                    if (c.isBase() && fam && c.hook == h) l.add(c);
                }
                l.sort(Comparator.comparingInt(c -> c.priority));
                byHook[f * 6 + h] = l.toArray(new Chain[0]);
            }
        }
    }

    /**
     * Whether packets of {@code family} (NFPROTO_IPV4/IPV6) need connection tracking: a nat chain, or a rule
     * with a ct expression, NAT, notrack or flow offload, in a table of that family or inet (as Linux loads
     * conntrack for a family only when something uses it).
     */
    public boolean usesConntrack(int family) {
        for (Chain c : chains) {
            boolean fam = c.family == family || c.family == NftPacket.NFPROTO_INET;
            if (!fam) continue;
            if ("nat".equals(c.type)) return true;
            for (Rule r : c.rules) {
                for (Expr e : r.exprs) {
                    if (e instanceof CtLoad || e instanceof CtSet || e instanceof Nat || e instanceof FlowOffload
                            || e instanceof Notrack) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /**
     * How many rules refer to flowtable {@code index} ({@code flow add @name}): the kernel's use count, which
     * makes deleting a flowtable in use fail with EBUSY.
     */
    public int flowtableUse(int index) {
        int n = 0;
        for (Chain c : chains) {
            for (Rule r : c.rules) {
                for (Expr e : r.exprs) {
                    if (e instanceof FlowOffload f && f.index == index) {
                        n++;
                    }
                }
            }
        }
        return n;
    }

    public static Ruleset empty() {
        return new Ruleset(0, List.of());
    }

    public Chain chain(int index) {
        return chains[index];
    }

    public int chainCount() {
        return chains.length;
    }

    /** Base chains a packet of {@code family} (NFPROTO_*) meets at {@code hook} (inet chains included), by priority. */
    public Chain[] baseChains(int family, int hook) {
        return byHook[family * 6 + hook];
    }
}
