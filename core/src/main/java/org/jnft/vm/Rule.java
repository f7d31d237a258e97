package org.jnft.vm;

import java.util.List;

/** A rule: its expressions in order, and its handle. Immutable once in a {@link Ruleset}. */
public final class Rule {
    final Expr[] exprs;
    public final long handle;

    public Rule(List<Expr> exprs, long handle) {
        this.exprs = exprs.toArray(new Expr[0]);
        this.handle = handle;
    }

    public List<Expr> exprs() {
        return List.of(exprs);
    }
}
