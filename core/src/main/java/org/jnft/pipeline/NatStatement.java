package org.jnft.pipeline;

import org.jnft.conntrack.CtEntry;
import org.jnft.nat.NatCore;
import org.jnft.nat.NatRange;
import org.jnft.route.NetDevice;
import org.jnft.vm.Engine;
import org.jnft.vm.Nat;
import org.jnft.vm.NftPacket;
import org.jnft.vm.Regs;
import org.jnft.vm.Verdict;

/**
 * nft_nat_eval, nft_masq_eval, nft_redir_eval: reads the range from the registers and binds the packet's
 * connection through the NAT core (snat/dnat as given, masquerade to the output device's address, redirect to
 * the input device's address or loopback).
 */
final class NatStatement implements Engine.NatAction {
    private final Router router;
    private final NatRange range = new NatRange();
    private final long[] addr = new long[2];

    NatStatement(Router router) {
        this.router = router;
    }

    @Override
    public int apply(Nat n, Regs r, NftPacket p) {
        CtEntry e = p.ct == null ? null : p.ct.ct;
        if (e == null) {
            return Verdict.BREAK; // no conntrack entry: nothing to bind
        }
        boolean v6 = e.orig.l3 == NftPacket.NFPROTO_IPV6;
        range.clear();
        if (n.addrMin != 0) {
            int min = Regs.offset(n.addrMin);
            int max = Regs.offset(n.addrMax != 0 ? n.addrMax : n.addrMin);
            if (v6) {
                range.v6(be64(r.data, min), be64(r.data, min + 8), be64(r.data, max), be64(r.data, max + 8));
            } else {
                range.v4(be32(r.data, min), be32(r.data, max));
            }
        }
        if (n.protoMin != 0) {
            int min = Regs.offset(n.protoMin);
            int max = Regs.offset(n.protoMax != 0 ? n.protoMax : n.protoMin);
            range.ports(be16(r.data, min), be16(r.data, max));
        }
        range.flags(n.flags | (n.addrMin != 0 ? Nat.RANGE_MAP_IPS : 0) | (n.protoMin != 0 ? Nat.RANGE_PROTO_SPECIFIED : 0));
        NatCore core = router.natCore;
        long now = router.now();
        boolean ok = switch (n.kind) {
            case SNAT -> core.setupInfo(router.ct, e, range, true, now);
            case DNAT -> core.setupInfo(router.ct, e, range, false, now);
            case MASQ -> {
                NetDevice out = router.devices.byIndex(p.oif);
                boolean has = out != null && source(out, e, v6);
                yield core.masquerade(router.ct, e, range, has, addr[0], addr[1], p.oif, now);
            }
            case REDIR -> {
                boolean has;
                if (p.hook == NftPacket.HOOK_OUTPUT) {
                    addr[0] = 0;
                    addr[1] = v6 ? 1 : 0x7f00_0001L;
                    has = true;
                } else {
                    NetDevice in = router.devices.byIndex(p.iif);
                    has = in != null && (v6 ? in.ipv6Count() > 0 && copy6(in) : in.primaryIpv4() != 0 && copy4(in));
                }
                yield core.redirect(router.ct, e, range, has, addr[0], addr[1], now);
            }
        };
        return ok ? Verdict.ACCEPT : Verdict.DROP;
    }

    /** inet_select_addr / ipv6_dev_get_saddr on the output device towards the reply's source. */
    private boolean source(NetDevice out, CtEntry e, boolean v6) {
        if (v6) {
            return out.ipv6SourceFor(e.reply.srcHi, e.reply.srcLo, addr);
        }
        int a = out.ipv4SourceFor((int) e.reply.srcLo);
        addr[0] = 0;
        addr[1] = a & 0xffff_ffffL;
        return a != 0;
    }

    private boolean copy4(NetDevice in) {
        addr[0] = 0;
        addr[1] = in.primaryIpv4() & 0xffff_ffffL;
        return true;
    }

    private boolean copy6(NetDevice in) {
        addr[0] = in.ipv6Hi(0);
        addr[1] = in.ipv6Lo(0);
        return true;
    }

    private static int be16(byte[] d, int o) {
        return ((d[o] & 0xff) << 8) | (d[o + 1] & 0xff);
    }

    private static int be32(byte[] d, int o) {
        return ((d[o] & 0xff) << 24) | ((d[o + 1] & 0xff) << 16) | ((d[o + 2] & 0xff) << 8) | (d[o + 3] & 0xff);
    }

    private static long be64(byte[] d, int o) {
        return ((long) be32(d, o) << 32) | (be32(d, o + 4) & 0xffff_ffffL);
    }
}
