package org.jnft.nft;

import java.util.List;

/** Statements of a rule as parsed. */
public sealed interface Stmt {
    Loc loc();

    record Match(Loc loc, Node.Rel rel) implements Stmt {}

    record Verdict(Loc loc, String verdict, String chain) implements Stmt {}

    /** An anonymous counter with optional initial values. */
    record Counter(Loc loc, long packets, long bytes) implements Stmt {}

    /** {@code counter name X}, {@code quota name X}, {@code limit name X}; name may be a map. */
    record ObjRef(Loc loc, String type, Node name) implements Stmt {}

    /** rateUnit null for packets, else "bytes"/"kbytes"/"mbytes". */
    record Limit(Loc loc, boolean over, long rate, String rateUnit, String timeUnit, long burst, String burstUnit,
                 boolean burstGiven) implements Stmt {}

    record Quota(Loc loc, boolean over, long bytes, long used) implements Stmt {}

    record Log(Loc loc, String prefix, String level, List<String> flags, Integer group, Integer snaplen)
            implements Stmt {}

    /** with: null, "tcp reset", "icmp", "icmpv6", "icmpx"; type may be a name or number. */
    record Reject(Loc loc, String with, Node type) implements Stmt {}

    /** kind: snat, dnat, masquerade, redirect. family: null/"ip"/"ip6". */
    record Nat(Loc loc, String kind, String family, Node addr, Node port, List<String> flags) implements Stmt {}

    /** {@code meta mark set X}, {@code ct mark set X}, {@code ip ttl set X}, {@code tcp option maxseg size set X}. */
    record Set(Loc loc, Node target, Node value) implements Stmt {}

    /** {@code flow add @ft} (also {@code flow offload @ft}). */
    record Flow(Loc loc, String flowtable, Loc nameLoc) implements Stmt {}

    record Notrack(Loc loc) implements Stmt {}

    /** {@code add @s { key timeout T }}, {@code update @s { key }}. */
    record Dynset(Loc loc, String op, String set, Loc setLoc, Node key, long timeoutMs) implements Stmt {}

    /** {@code key vmap { ... }} or {@code key vmap @m}. */
    record Vmap(Loc loc, Node.MapE map) implements Stmt {}
}
