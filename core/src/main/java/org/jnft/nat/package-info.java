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
 *       } else if (masqueraded && oif changed) { ct.kill(e); drop; }      // nf_nat_oif_changed
 *   } else if (masqueraded && oif changed) { ct.kill(e); drop; }          // ESTABLISHED*
 *   if (!NatPacket.packet(seg, pi, e, ci, hook)) drop;                      // nf_nat_packet
 * </pre>
 * {@link org.jnft.nat.NatHook#begin} and {@link org.jnft.nat.NatHook#finish} implement this around the
 * chain loop (see there). So the first packet of a connection runs the nat chains, later packets (and
 * replies) only get {@link org.jnft.nat.NatPacket#packet}. The NAT statement's own verdict is accept (a nat rule ends the
 * chain). After a destination change at prerouting the route lookup naturally uses the new address; after
 * one at output (dnat/redirect of local packets) the packet must be re-routed (Linux:
 * {@code ip_route_me_harder} in nf_nat_ipv4_local_fn), and after a source change at output/postrouting of
 * a local packet with xfrm likewise (not relevant here). The entry is unconfirmed on its first packet, so
 * setupInfo's {@code Conntrack.alterReply} lands before {@code confirm} at the end of postrouting / input.
 * Flowtable: NATed flows carry SRC_NAT / DST_NAT; the fast path rewrites with the tuples (see
 * {@link org.jnft.nat.NatPacket#manip}).
 *
 * <h2>Deliberate differences from Linux</h2>
 * See {@link org.jnft.nat.NatCore}: the random port-search offset comes from a seeded generator; no
 * bysource table (find_appropriate_src); no TIME_WAIT eviction in the last attempts; GRE keys (no PPTP
 * helper) and NETMAP (prefix NAT) not translated; no helpers/SEQ_ADJUST.
 */
package org.jnft.nat;
