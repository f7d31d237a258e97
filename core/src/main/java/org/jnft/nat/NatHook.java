package org.jnft.nat;

import static org.jnft.conntrack.CtConst.*;

import java.lang.foreign.MemorySegment;
import org.jnft.conntrack.Conntrack;
import org.jnft.conntrack.CtEntry;
import org.jnft.packet.PacketInfo;

/**
 * nf_nat_ipv4_fn / nf_nat_ipv6_fn / nf_nat_inet_fn around the nat chains, split in two so that the pipeline
 * runs the chains in between without a callback:
 * <pre>
 *   int s = NatHook.begin(seg, pi, pc.ct, pc.ctinfo, hook);
 *   if (s == NatHook.DROP) drop; else if (s == NatHook.ACCEPT) continue with the next hook;
 *   if (s == NatHook.RUN_CHAINS) {
 *       for each nat chain of the hook in priority order:       // nat statements call NatCore
 *           verdict = run(chain); if (verdict != accept) return verdict;
 *           if (NatCore.initialized(pc.ct, NatCore.hookIsSrcManip(hook))) break;
 *   }
 *   if (!NatHook.finish(natCore, ct, seg, pi, pc.ct, pc.ctinfo, hook, now)) drop;
 * </pre>
 * Masquerade's {@code nf_nat_oif_changed} (kill the entry and drop when a masqueraded connection's packet
 * leaves by another interface than the one it was bound on) is the caller's, which knows interfaces: check
 * {@link #oifChanged} when {@code begin} returns TRANSLATE.
 */
public final class NatHook {
    private NatHook() {
    }

    public static final int DROP = 0;
    public static final int ACCEPT = 1;
    /** A NEW or RELATED entry not yet bound for the hook's manipulation type: run the nat chains. */
    public static final int RUN_CHAINS = 2;
    /** Already bound: go straight to {@link #finish}. */
    public static final int TRANSLATE = 3;

    public static int begin(MemorySegment seg, PacketInfo pi, CtEntry e, int ctinfo, int hook) {
        if (e == null) {
            return ACCEPT;
        }
        int r = NatPacket.relatedIcmp(seg, pi, e, ctinfo, hook);
        if (r != NatPacket.NOT_ICMP_ERROR) {
            return r == NatPacket.ACCEPT ? ACCEPT : DROP;
        }
        if (isNewOrRelated(ctinfo) && !NatCore.initialized(e, NatCore.hookIsSrcManip(hook))) {
            return RUN_CHAINS;
        }
        return TRANSLATE;
    }

    /** The null binding when no chain bound the entry, then nf_nat_packet. False: drop. */
    public static boolean finish(NatCore core, Conntrack ct, MemorySegment seg, PacketInfo pi, CtEntry e,
                                 int ctinfo, int hook, long now) {
        if (isNewOrRelated(ctinfo) && !NatCore.initialized(e, NatCore.hookIsSrcManip(hook))
                && !core.allocNullBinding(ct, e, hook, now)) {
            return false;
        }
        return NatPacket.packet(seg, pi, e, ctinfo, hook);
    }

    /**
     * nf_nat_oif_changed: a masqueraded connection's packet in the original direction leaves at postrouting by
     * another interface than the one it was masqueraded on (its route changed). The caller then kills the
     * entry and drops the packet, as nf_nat_inet_fn does; the connection starts again, masqueraded anew.
     * Checked for every packet {@link #begin} does not send to the chains.
     */
    public static boolean oifChanged(CtEntry e, int ctinfo, int hook, int oif) {
        return e.masqIndex != 0 && hook == HOOK_POST_ROUTING && ctinfo < IP_CT_IS_REPLY && e.masqIndex != oif;
    }

    private static boolean isNewOrRelated(int ctinfo) {
        return ctinfo == IP_CT_NEW || ctinfo == IP_CT_RELATED || ctinfo == IP_CT_RELATED_REPLY;
    }
}
