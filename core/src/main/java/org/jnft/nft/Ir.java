package org.jnft.nft;

import java.util.List;
import org.jnft.vm.CmpOp;
import org.jnft.vm.CtKey;
import org.jnft.vm.MetaKey;
import org.jnft.vm.PayloadBase;

/**
 * The evaluator's output and the linearizer's input: typed, dependency-complete rule statements.
 * Values are register bytes in the type's byte order (network order, or little-endian for host types).
 */
public sealed interface Ir {
    /** Something that produces a value in a register. {@code len} is its width in bytes. */
    sealed interface Val extends Ir {
        int len();

        DataType type();
    }

    record Payload(Proto proto, Proto.Field field, DataType type) implements Val {
        public PayloadBase base() {
            return proto.base();
        }

        public int offsetBits() {
            return proto.baseOffsetBits() + field.offsetBits();
        }

        public int lenBits() {
            return field.lenBits();
        }

        public int len() {
            return (field.lenBits() + 7) / 8;
        }
    }

    record Meta(MetaKey key, DataType type) implements Val {
        public int len() {
            return type.bytes();
        }
    }

    /** dir: -1 none, 0 original, 1 reply. */
    record Ct(CtKey key, int dir, DataType type) implements Val {
        public int len() {
            return type.bytes();
        }
    }

    /** {@code rt load KEY}: tcpmss, mtu, classid, nexthop. */
    record Rt(String key, DataType type) implements Val {
        public int len() {
            return type.bytes();
        }
    }

    /** fib: flags text (saddr . iif), result text (oif, type, ...), present flag. */
    record Fib(String flagsText, String result, boolean present, DataType type) implements Val {
        public int len() {
            return type.bytes();
        }
    }

    /** IPv6 extension header field (bit offset/length within the header) or presence. */
    record Exthdr(String header, int hdrType, String field, int offsetBits, int lenBits, boolean present, DataType dtype)
            implements Val {
        public int len() {
            return present ? 1 : (offsetBits % 8 + lenBits + 7) / 8;
        }

        public DataType type() {
            return dtype;
        }
    }

    /** TCP option field: option kind, byte offset within option, length. */
    record TcpOpt(String option, int kind, int offset, int len, boolean present, DataType type) implements Val {}

    record Concat(List<Val> parts, DataType type) implements Val {
        public int len() {
            int n = 0;
            for (Val v : parts) n += (v.len() + 3) / 4 * 4;
            return n;
        }
    }

    /** {@code v & mask ^ xor}. */
    record Masked(Val val, byte[] mask, byte[] xor) implements Val {
        public int len() {
            return val.len();
        }

        public DataType type() {
            return val.type();
        }
    }

    /** {@code v << n} / {@code v >> n}. */
    record Shift(Val val, boolean left, int n) implements Val {
        public int len() {
            return val.len();
        }

        public DataType type() {
            return val.type();
        }
    }

    record Const(byte[] bytes, DataType type) implements Val {
        public int len() {
            return bytes.length;
        }
    }

    record MapLookup(Val key, SetDef set, DataType type) implements Val {
        public int len() {
            return type.bytes();
        }
    }

    // ---- statements ----

    /** {@code left OP value}; hostSize > 0: host-order value compared in network order after hton. */
    record Cmp(Val left, CmpOp op, byte[] value, int hostSize) implements Ir {}

    record Range(Val left, boolean neq, byte[] lo, byte[] hi, int hostSize) implements Ir {}

    /** Prefix match: eq/neq of the first {@code bits} bits. */
    record Prefix(Val left, boolean neq, byte[] value, int bits) implements Ir {}

    /** {@code (left & mask) OP value} (flags with a mask, or an implicit bitmask test with value 0 and neq). */
    record MaskCmp(Val left, byte[] mask, CmpOp op, byte[] value) implements Ir {}

    record Lookup(Val left, SetDef set, boolean invert) implements Ir {}

    record Vmap(Val key, SetDef set) implements Ir {}

    record Verdict(String verdict, String chain) implements Ir {}

    record Counter(long packets, long bytes) implements Ir {}

    record ObjRef(int type, String name) implements Ir {}

    record ObjMap(Val key, SetDef set) implements Ir {}

    record Limit(long rate, long unitSeconds, long burst, boolean bytes, boolean over) implements Ir {}

    record Quota(long bytes, long used, boolean over) implements Ir {}

    record Log(String prefix, int level, int flags, Integer group, Integer snaplen) implements Ir {}

    record Reject(int type, int code) implements Ir {}

    /** kind: snat/dnat/masq/redir; family 2/10 for snat/dnat. */
    record Nat(String kind, int family, Val addrMin, Val addrMax, Val portMin, Val portMax, int flags)
            implements Ir {}

    record MetaSet(org.jnft.vm.MetaKey key, Val value) implements Ir {}

    record CtSet(CtKey key, int dir, Val value) implements Ir {}

    record PayloadSet(Payload target, Val value) implements Ir {}

    record TcpOptSet(TcpOpt target, Val value) implements Ir {}

    record Flow(String flowtable) implements Ir {}

    record Notrack() implements Ir {}

    record Dynset(boolean update, Val key, SetDef set, long timeoutMs) implements Ir {}
}
