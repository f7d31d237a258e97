/**
 * Network address translation as Linux's nf_nat: {@link org.jnft.nat.NatCore} binds a new connection
 * (nf_nat_setup_info: snat, dnat, masquerade, redirect, the null binding; port allocation as
 * get_unique_tuple), {@link org.jnft.nat.NatPacket} rewrites packets (nf_nat_manip_pkt with incremental
 * checksums, ICMP/ICMPv6 errors with their inner packet). Depends on {@code org.jnft.conntrack} and
 * {@code org.jnft.packet} only.
 *
 * <h2>How the pipeline calls it (nf_nat_inet_fn)</h2>
 * NAT hooks sit at prerouting -100 and output -100 (destination manipulation: {@code dnat},
 * {@code redirect}) and at postrouting 100 and input 100 (source manipulation: {@code snat},
 * {@code masquerade}); {@link org.jnft.nat.NatCore#hookIsSrcManip} is HOOK2MANIP. At each of these four
 * hooks, for a packet with a conntrack entry {@code e} and ctinfo {@code ci} ({@code PacketCt}), and only
 * when the family's ruleset has a nat chain at that hook (Linux registers the NAT hook per nat chain):
 * <pre>
 *   if (e == null) accept;                                     // untracked / invalid: not translated
 *   int r = NatPacket.relatedIcmp(seg, pi, e, ci, hook);       // nf_nat_ipv4_fn / ipv6_fn: ICMP errors
 *   if (r != NatPacket.NOT_ICMP_ERROR) return r == NatPacket.ACCEPT ? accept : drop;
 *   boolean src = NatCore.hookIsSrcManip(hook);
 *   if (ci == IP_CT_NEW || ci == IP_CT_RELATED || ci == IP_CT_RELATED_REPLY) {
 *       if (!NatCore.initialized(e, src)) {
 *           // run the nat chains of this hook in priority order; a snat/dnat/masquerade/redirect
 *           // statement calls natCore.setupInfo / masquerade / redirect (accept), verdict drop ends here;
 *           // stop at the first chain after which NatCore.initialized(e, src) holds
 *           if (still not initialized) natCore.allocNullBinding(ct, e, hook, now);
 *       } else if (NatHook.oifChanged(e, ci, hook, oif)) { ct.kill(e); drop; }   // nf_nat_oif_changed
 *   } else if (NatHook.oifChanged(e, ci, hook, oif)) { ct.kill(e); drop; }       // ESTABLISHED*
 *   if (!NatPacket.packet(seg, pi, e, ci, hook)) drop;                      // nf_nat_packet
 * </pre>
 * {@link org.jnft.nat.NatHook#begin} and {@link org.jnft.nat.NatHook#finish} implement this around the
 * chain loop (see there). So the first packet of a connection runs the nat chains, later packets (and
 * replies) only get {@link org.jnft.nat.NatPacket#packet}. The NAT statement's own verdict is accept (a nat rule ends the
 * chain). After a destination change at prerouting the route lookup naturally uses the new address; a
 * packet the router made whose destination NAT changed at output is routed again before postrouting
 * ({@code pipeline.LocalReroute}, nf_nat_ipv4_local_fn's {@code ip_route_me_harder}): the answers to a
 * connection source-NATed at input are the case that occurs (the router's own packets are never NEW at
 * output, so output {@code dnat} rules do not bind them); xfrm's re-routing after a source change is not
 * relevant here. ICMP errors and reject resets about a received packet carry that packet's entry as
 * RELATED / RELATED_REPLY ({@code Router.relatedTo}, Linux's nf_ct_attach), so a refused or expired first
 * packet of a port forward is answered from the address the sender used. The entry is unconfirmed on its first packet, so
 * setupInfo's {@code Conntrack.alterReply} lands before {@code confirm} at the end of postrouting / input.
 * Flowtable: NATed flows carry SRC_NAT / DST_NAT; the fast path rewrites with the tuples (see
 * {@link org.jnft.nat.NatPacket#manip}).
 *
 * <h2>Masquerade's lifecycle (nf_nat_masquerade.c)</h2>
 * {@link org.jnft.nat.NatCore#masquerade} records the output interface in the entry
 * ({@code CtEntry.masqIndex}, Linux's {@code nf_conn_nat.masq_index}). Three things end such a connection:
 * its address leaving the device ({@code Router.addressRemoved}, the inetaddr / inet6addr notifiers:
 * {@link org.jnft.nat.NatCore#killMasqueraded} with the address), the device going down
 * ({@code Router.deviceDown}, masq_device_event: every entry masqueraded on it), and a packet of the
 * original direction leaving by another interface at postrouting because its route changed
 * ({@link org.jnft.nat.NatHook#oifChanged}: the entry is killed, the packet dropped, the next packet starts
 * a new connection masqueraded on the new interface). Linux runs the notifiers' cleanup from a work queue;
 * the control plane calls these between packets. Killed entries that the flowtable carries are torn down by
 * it (the fast path and its GC check DYING).
 *
 * <h2>NAT_CLASH</h2>
 * Linux sets {@code IPS_NAT_CLASH} when two packets of one new UDP flow, handled on two CPUs at once, both
 * bind a NAT tuple and race to confirmation: {@code __nf_ct_resolve_clash} attaches the loser to the winner
 * when their tuples agree, else {@code nf_ct_resolve_clash_harder} inserts the loser's reply tuple as an
 * entry of its own, marked NAT_CLASH, with a short timeout and never offloaded. A jnft router is driven by
 * one thread that takes a packet from conntrack lookup to confirmation before the next, so no two unconfirmed
 * entries of one original tuple ever exist: the race cannot happen and nothing sets the bit
 * ({@code Conntrack.confirm}'s clash handling remains for the same-tuples case). The bit itself
 * ({@code CtConst.IPS_NAT_CLASH}, 12) is in the status word that {@code ct status}, the conntrack listing and
 * {@code flow add} read; {@code flow add} refuses entries carrying it, as nft_flow_offload does.
 *
 * <h2>Deliberate differences from Linux</h2>
 * See {@link org.jnft.nat.NatCore}: the random port-search offset comes from a seeded generator (so a clash
 * resolved at random gets another port than under Linux, from the same set); the bysource table's hash is
 * jnft's own; no TIME_WAIT eviction in the last attempts; GRE keys (no PPTP helper) and NETMAP (prefix NAT)
 * not translated; no helpers/SEQ_ADJUST.
 */
package org.jnft.nat;
