package org.jnft.nft;

import java.util.List;

/** Expressions of the language as parsed (untyped, with locations). */
public sealed interface Node {
    Loc loc();

    /** A word, number, address or quoted string, resolved against a type by the evaluator. */
    record Sym(Loc loc, String text, Token.Kind kind) implements Node {}

    /** {@code $name}. */
    record Var(Loc loc, String name) implements Node {}

    /** {@code ip saddr}, {@code th dport}, {@code tcp flags}, {@code ether saddr}, {@code vlan id}. */
    record Payload(Loc loc, String proto, String field) implements Node {}

    /** Raw payload {@code @nh,OFFSET,LENGTH} (bits; bases ll, nh, th, ih). */
    record RawPayload(Loc loc, String base, int offsetBits, int lenBits) implements Node {}

    /** {@code meta mark} or the short form {@code mark}, {@code iifname}, ... */
    record Meta(Loc loc, String key) implements Node {}

    /** {@code ct state}, {@code ct original ip saddr}, {@code ct reply proto-dst}. */
    record Ct(Loc loc, String key, String dir, String family) implements Node {}

    /** {@code rt mtu}, {@code rt nexthop}. */
    record Rt(Loc loc, String key) implements Node {}

    /** {@code fib saddr . iif oif}. */
    record Fib(Loc loc, List<String> flags, Loc flagsLoc, String result) implements Node {}

    /** IPv6 extension header field ({@code frag frag-off}) or presence ({@code exthdr frag}, field null). */
    record Exthdr(Loc loc, String header, String field) implements Node {}

    /** {@code tcp option maxseg size}. */
    record TcpOpt(Loc loc, String option, String field) implements Node {}

    record Prefix(Loc loc, Node expr, int len) implements Node {}

    record Range(Loc loc, Node lo, Node hi) implements Node {}

    /** Anonymous set or map literal {@code { a, b : c }}. */
    record SetLit(Loc loc, List<Node> elems) implements Node {}

    /** {@code @name}. */
    record SetRef(Loc loc, String name) implements Node {}

    record Concat(Loc loc, List<Node> parts) implements Node {}

    /** {@code & | ^ << >>}. */
    record Binop(Loc loc, String op, Node left, Node right) implements Node {}

    /** {@code a,b,c} outside braces (flag lists: {@code syn,ack}, {@code established,related}). */
    record ListE(Loc loc, List<Node> items) implements Node {}

    /** {@code key map ...} / {@code key vmap ...}. */
    record MapE(Loc loc, Node key, Node map, boolean vmap) implements Node {}

    /** A map element {@code key : value}. */
    record Mapping(Loc loc, Node key, Node value) implements Node {}

    /** A verdict used as a value: {@code accept}, {@code jump foo}. */
    record Verdict(Loc loc, String verdict, String chain) implements Node {}

    /** A set element with options: {@code 1.2.3.4 timeout 10s}. */
    record Elem(Loc loc, Node expr, long timeoutMs, String comment) implements Node {}

    /** A relation: op is "implicit", "==", "!=", "<", ">", "<=", ">=". */
    record Rel(Loc loc, String op, Node left, Node right) implements Node {}
}
