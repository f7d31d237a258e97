package org.jnft.nft;

import java.util.IdentityHashMap;
import java.util.Map;
import org.jnft.vm.Expr;
import org.jnft.vm.NamedObject;
import org.jnft.vm.NftSet;
import org.jnft.vm.Ruleset;

/**
 * A compiled generation together with the VM objects that hold state, so that a listing can show counters,
 * quotas and set elements as they stand (the replay's ruleset.nft, the daemon's dumps).
 */
public final class LiveState {
    public final Ruleset ruleset;
    final Map<Ir, Expr> stateful = new IdentityHashMap<>();
    final Map<Model.Obj, NamedObject> objects = new IdentityHashMap<>();
    final Map<SetDef, NftSet> sets = new IdentityHashMap<>();

    LiveState(Ruleset ruleset) {
        this.ruleset = ruleset;
    }

    /** Current values of an anonymous counter statement, or null when not compiled. */
    long[] counter(Ir.Counter c) {
        return stateful.get(c) instanceof org.jnft.vm.Counter k ? new long[] {k.packets, k.bytes} : null;
    }

    long quotaUsed(Ir.Quota q) {
        return stateful.get(q) instanceof org.jnft.vm.Quota k ? k.consumed : q.used();
    }

    /** The named object's statement with its live values. */
    Stmt objectSpec(Model.Obj o) {
        NamedObject n = objects.get(o);
        if (n == null) return o.spec();
        return switch (n.state) {
            case org.jnft.vm.Counter k -> new Stmt.Counter(o.spec().loc(), k.packets, k.bytes);
            case org.jnft.vm.Quota q -> new Stmt.Quota(o.spec().loc(), q.over, q.bytes, q.consumed);
            default -> o.spec();
        };
    }

    NftSet set(SetDef s) {
        return sets.get(s);
    }

    /** The live state bound while listing (see {@link Listing#print(Model, Interfaces, LiveState)}). */
    static final ScopedValue<LiveState> CURRENT = ScopedValue.newInstance();
}
