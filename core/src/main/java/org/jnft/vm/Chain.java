package org.jnft.vm;

import java.util.List;

/** A chain: its rules, and for a base chain its family, hook, priority and policy. */
public final class Chain {
    public final String table, name;
    /** "filter", "nat" or "route" for base chains; null for regular chains. */
    public final String type;
    public final int family;
    /** -1 for a regular chain; else NftPacket.HOOK_*. */
    public final int hook;
    public final int priority;
    /** Verdict.ACCEPT or Verdict.DROP for base chains. */
    public final int policy;
    /** Ingress device names of a netdev base chain. */
    public final List<String> devices;
    final Rule[] rules;
    /** Position in its ruleset (set when the snapshot is built). */
    int index = -1;

    public Chain(String table, String name, int family, int hook, int priority, int policy, List<String> devices,
                 List<Rule> rules) {
        this(table, name, null, family, hook, priority, policy, devices, rules);
    }

    public Chain(String table, String name, String type, int family, int hook, int priority, int policy,
                 List<String> devices, List<Rule> rules) {
        this.table = table;
        this.name = name;
        this.type = type;
        this.family = family;
        this.hook = hook;
        this.priority = priority;
        this.policy = policy;
        this.devices = List.copyOf(devices);
        this.rules = rules.toArray(new Rule[0]);
    }

    /** Whether a packet that came in on {@code iifName} meets this chain: netdev chains sit on their devices. */
    public boolean appliesTo(String iifName) {
        return family != NftPacket.NFPROTO_NETDEV || devices.isEmpty() || devices.contains(iifName);
    }

    public boolean isBase() {
        return hook >= 0;
    }

    public List<Rule> rules() {
        return List.of(rules);
    }
}
