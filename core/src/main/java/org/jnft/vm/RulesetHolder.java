package org.jnft.vm;

/** The current generation: the control plane swaps a new snapshot in atomically; packets read it once. */
public final class RulesetHolder {
    private volatile Ruleset current = Ruleset.empty();

    public Ruleset get() {
        return current;
    }

    /** Publishes {@code next}; packets already evaluating keep the snapshot they read. */
    public void swap(Ruleset next) {
        current = next;
    }
}
