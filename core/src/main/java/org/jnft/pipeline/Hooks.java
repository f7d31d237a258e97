package org.jnft.pipeline;

import java.lang.foreign.MemorySegment;
import org.jnft.packet.PacketInfo;
import org.jnft.route.NetDevice;
import org.jnft.conntrack.CtEntry;
import org.jnft.conntrack.PacketCt;
import org.jnft.vm.Chain;
import org.jnft.vm.Engine;
import org.jnft.vm.Interpreter;
import org.jnft.vm.NftPacket;
import org.jnft.vm.Ruleset;
import org.jnft.vm.RulesetHolder;
import org.jnft.vm.Verdict;

/**
 * nf_hook: runs the base chains registered at a hook (the interpreter orders them by priority) on one of
 * two packet descriptions: the frame being received, and the packet the router is making meanwhile (an ICMP
 * error, a reset, a neighbour advertisement), so that making one never disturbs the other. A packet reads
 * the ruleset generation once, when it arrives, and keeps it to the end.
 */
final class Hooks {
    private final Router router;
    private final RulesetHolder holder;
    private final Interpreter interp = new Interpreter();
    private final Engine engine = new Engine();
    /** The frame being received and forwarded or delivered. */
    final NftPacket rx = new NftPacket();
    /** A packet the router makes while handling {@link #rx}. */
    final NftPacket local = new NftPacket();
    private Ruleset rules = Ruleset.empty();
    /** Whether the current generation needs conntrack (and so defrag) per family; computed once per generation. */
    private Ruleset ctComputedFor;
    private boolean ctIpv4;
    private boolean ctIpv6;
    private boolean natIpv4;
    private boolean natIpv6;
    /** The conntrack state of the received packet and of the one the router is making (skb->_nfct). */
    final PacketCt rxCt = new PacketCt();
    final PacketCt localCt = new PacketCt();

    Hooks(Router router, RulesetHolder holder) {
        this.router = router;
        this.holder = holder;
    }

    Engine engine() {
        return engine;
    }

    /**
     * A new frame arrived: take the current generation (the packet keeps it to the end) and bring what is
     * derived from it up to date, the runtime flowtables included. Comes before the flowtables' fast path.
     */
    void takeGeneration() {
        Ruleset r = holder.get();
        rules = r;
        if (r != ctComputedFor) {
            ctIpv4 = r.usesConntrack(NftPacket.NFPROTO_IPV4);
            ctIpv6 = r.usesConntrack(NftPacket.NFPROTO_IPV6);
            natIpv4 = hasNatChains(NftPacket.NFPROTO_IPV4);
            natIpv6 = hasNatChains(NftPacket.NFPROTO_IPV6);
            ctComputedFor = r;
            router.flowtables.sync(r, router.now());
        }
    }

    /**
     * A frame that did not take the fast path, arrived on {@code in} ({@link #takeGeneration} done): describe
     * its link layer.
     */
    void beginRx(MemorySegment seg, int frameOffset, int frameLength, NetDevice in, int pktType) {
        rxCt.clear();
        NftPacket p = rx;
        p.segment = seg;
        p.frameOffset = frameOffset;
        p.frameLength = frameLength;
        p.linkOffset = 0;
        p.networkOffset = -1;
        p.transportOffset = -1;
        p.fragment = false;
        p.l4proto = -1;
        p.protocol = 0;
        p.mark = 0;
        p.pkttype = pktType;
        p.priority = 0;
        p.ctPresent = false;
        p.notrack = false;
        p.setIif(in.ifindex(), in.name());
        p.setOif(0, "");
    }

    /** The received frame was replaced by its reassembled datagram. */
    void rebaseRx(MemorySegment seg, int frameOffset, int frameLength) {
        rx.segment = seg;
        rx.frameOffset = frameOffset;
        rx.frameLength = frameLength;
    }

    /** The frame's network and transport headers (PacketInfo offsets are absolute in the segment). */
    void rxLayer3(PacketInfo pi, int nfproto) {
        NftPacket p = rx;
        long base = p.frameOffset;
        p.nfproto = nfproto;
        p.protocol = pi.etherType;
        p.networkOffset = (int) (pi.l3Offset - base);
        p.frameLength = p.networkOffset + pi.l3Length;
        p.transportOffset = pi.l4Offset >= 0 ? (int) (pi.l4Offset - base) : -1;
        p.fragment = pi.fragment && pi.fragOffset != 0;
        p.l4proto = pi.l4Proto;
    }

    void rxOutput(NetDevice out) {
        rx.setOif(out.ifindex(), out.name());
    }

    /** Describes a packet the router made: the IP header at {@code l3}, no link-layer header yet. */
    void beginLocal(MemorySegment seg, long l3, int l3len, int nfproto, int l4off, int l4proto, NetDevice out) {
        NftPacket p = local;
        p.segment = seg;
        p.frameOffset = l3;
        p.frameLength = l3len;
        p.linkOffset = -1;
        p.networkOffset = 0;
        p.transportOffset = l4off;
        p.fragment = false;
        p.nfproto = nfproto;
        p.protocol = nfproto == NftPacket.NFPROTO_IPV6 ? 0x86dd : 0x0800;
        p.l4proto = l4proto;
        p.mark = 0;
        p.pkttype = Router.PACKET_HOST;
        p.priority = 0;
        p.ctPresent = false;
        p.notrack = false;
        p.setIif(0, "");
        p.setOif(out.ifindex(), out.name());
    }

    private boolean hasNatChains(int family) {
        for (int hook = 0; hook <= NftPacket.HOOK_POSTROUTING; hook++) {
            for (Chain c : rules.baseChains(family, hook)) {
                if (isNat(c)) {
                    return true;
                }
            }
        }
        return false;
    }

    static boolean isNat(Chain c) {
        return "nat".equals(c.type);
    }

    /** Does NAT run for this family (nat chains in its tables)? */
    boolean nat(boolean ipv6) {
        return ipv6 ? natIpv6 : natIpv4;
    }

    /**
     * The nat chains at a hook, in priority order, until one binds the connection on this side
     * (nf_nat_inet_fn's loop over the registered nat chains). False when a chain dropped the packet.
     */
    boolean runNat(NftPacket p, int family, int hook, CtEntry e, boolean srcManip) {
        p.hook = hook;
        p.timestampNanos = router.now();
        engine.now = router.now();
        for (Chain c : rules.baseChains(family, hook)) {
            if (!isNat(c)) {
                continue;
            }
            if (interp.runChain(rules, c, p, engine) != Verdict.ACCEPT) {
                return false;
            }
            if (org.jnft.nat.NatCore.initialized(e, srcManip)) {
                break;
            }
        }
        return true;
    }

    /** Does conntrack run for this family (a ct expression, NAT or flow offload in its tables)? */
    boolean conntrack(boolean ipv6) {
        return ipv6 ? ctIpv6 : ctIpv4;
    }

    /**
     * Runs the base chains at the hook whose priority lies in [{@code from}, {@code to}) — the slices around
     * conntrack's own hooks (-200 in prerouting and output).
     */
    boolean run(NftPacket p, int family, int hook, int from, int to) {
        Chain[] chains = rules.baseChains(family, hook);
        if (chains.length == 0) {
            return true;
        }
        p.hook = hook;
        p.timestampNanos = router.now();
        engine.now = router.now();
        engine.rejectType = -1;
        for (Chain c : chains) {
            if (c.priority < from || c.priority >= to || isNat(c)) {
                continue;
            }
            if (!c.appliesTo(p.iifName)) {
                continue;
            }
            if (interp.runChain(rules, c, p, engine) != Verdict.ACCEPT) {
                if (engine.rejectType >= 0) {
                    int t = engine.rejectType;
                    engine.rejectType = -1;
                    router.nfReject.reject(p, t, engine.rejectCode);
                }
                return false;
            }
        }
        return true;
    }

    /** The packet's conntrack view for ct expressions (state, status, mark, direction). */
    static void exposeCt(NftPacket p, PacketCt pc) {
        CtEntry e = pc.ct;
        p.ct = pc;
        p.ctPresent = e != null;
        p.ctState = pc.state();
        p.ctDirection = pc.direction();
        p.ctStatus = e == null ? 0 : e.status;
        p.ctMark = e == null ? 0 : e.mark;
    }

    /** {@code ct mark set} in a chain writes through to the entry. */
    static void writeBackCt(NftPacket p, PacketCt pc) {
        if (pc.ct != null && p.ctPresent) {
            pc.ct.mark = p.ctMark;
        }
    }

    /** True when no base chain sits at ({@code family}, {@code hook}): the common case costs one array read. */
    boolean empty(int family, int hook) {
        return rules.baseChains(family, hook).length == 0;
    }

    /** Runs the hook; returns true when the packet may go on (accept), false when a chain dropped it. */
    boolean run(NftPacket p, int family, int hook) {
        if (rules.baseChains(family, hook).length == 0) {
            return true;
        }
        p.hook = hook;
        p.timestampNanos = router.now();
        engine.now = router.now();
        // QUEUE has no listener here, which Linux treats as a drop.
        engine.rejectType = -1;
        if (interp.runHook(rules, family, hook, p, engine) == Verdict.ACCEPT) {
            return true;
        }
        if (engine.rejectType >= 0) {
            int type = engine.rejectType;
            engine.rejectType = -1;
            router.nfReject.reject(p, type, engine.rejectCode);
        }
        return false;
    }
}
