/**
 * Connection tracking as Linux's nf_conntrack does it, for the classic path: tuples, entries, the hash
 * table, the TCP/UDP/ICMP/ICMPv6/GRE/generic trackers, expiry, early drop and the {@code conntrack -L}
 * listing. Depends only on {@code org.jnft.packet} and the JDK.
 *
 * <h2>Files</h2>
 * {@link org.jnft.conntrack.Conntrack} is the API (and the timeout and accounting helpers); behind it,
 * package-private: {@code CtTable} (the hash table of both tuples, the confirmed entries, the free list,
 * nf_conntrack_max with early drop, references, the GC), {@code CtIn} (nf_conntrack_in's per-packet steps,
 * init_conntrack, {@code conntrack -I}), {@code CtConfirm} (nf_conntrack_confirm and clash resolution),
 * {@code ScratchTuple} (nf_ct_get_tuple), the trackers ({@code TcpTracker}, {@code UdpTracker},
 * {@code IcmpTracker}, {@code GenericTracker}) and {@code ConntrackListing}.
 *
 * <h2>What the pipeline calls</h2>
 * One {@link org.jnft.conntrack.Conntrack} per network namespace (built from
 * {@link org.jnft.conntrack.ConntrackParams}, the {@code net.netfilter.nf_conntrack_*} sysctls), and one
 * {@link org.jnft.conntrack.PacketCt} per packet in flight (Linux's {@code skb->_nfct}):
 * <ol>
 *   <li>raw (-300) rules may set {@code pc.zone} ({@code ct zone set}) or call {@code pc.setUntracked()}
 *       ({@code notrack}) before conntrack sees the packet;</li>
 *   <li>prerouting -200 and output -200 (after defrag):
 *       {@code if (!ct.in(seg, pi, CtConst.HOOK_PRE_ROUTING | HOOK_LOCAL_OUT, now, pc)) drop("NETFILTER_DROP")};
 *       the only DROP is "table full";</li>
 *   <li>rules read {@code pc.state()}, {@code pc.direction()}, {@code pc.ct} (status, mark, zone,
 *       {@code expirationMs(now)}, tuples, {@code packets(dir)}/{@code bytes(dir)}); {@code pc.ct == null} means
 *       invalid or untracked: other ct keys then end the rule (NFT_BREAK) as in Linux;</li>
 *   <li>NAT (later) rewrites the reply tuple of an unconfirmed entry with {@code ct.alterReply} and asks
 *       {@code ct.tupleTaken} when choosing ports;</li>
 *   <li>at the very end of postrouting and of input:
 *       {@code if (!ct.confirm(pc, now)) drop("NETFILTER_DROP")};</li>
 *   <li>when the packet's life ends (transmitted, delivered, dropped anywhere): {@code ct.release(pc)}. This
 *       frees unconfirmed entries of dropped packets; never reuse a {@code PacketCt} without it.</li>
 * </ol>
 * Timers: {@code ct.expire(now)} from the GC (every second, or at {@code ct.nextDeadline()}, a lower bound);
 * lookups ignore expired entries anyway, so expiry is exact at any GC rate. Listing:
 * {@code ct.list(now)} gives conntrack.txt's lines.
 *
 * <h2>Flowtable hooks</h2>
 * {@code ct.get(e)}/{@code ct.put(e)} hold an entry (listed as use=2, never recycled while held);
 * {@code e.status |= CtConst.IPS_OFFLOAD}; {@code ct.tcpBeLiberal(e)} when offloading TCP;
 * {@code ct.setTimeout(e, deadline)}; on teardown {@code ct.tcpResetMaxWin(e)} and, for CLOSING flows,
 * {@code ct.tcpSetClosing(e, now)}; {@code ct.kill(e)};
 * {@link org.jnft.conntrack.ConntrackParams#tcpTimeout(int)} and the UDP timeouts for teardown.
 *
 * <h2>Benchmarks</h2>
 * Fill a table with {@code ct.insert(...)} (no packets needed), look up with {@code ct.find(...)} or
 * {@code ct.findV4(...)} (primitives, no allocation); the whole per-packet cost is
 * {@code in} + {@code confirm} + {@code release} on a parsed frame. Size {@code nf_conntrack_buckets} like
 * {@code nf_conntrack_max} for 1M entries (chains of 2 tuples per bucket on average, as Linux).
 *
 * <h2>Deliberate differences from Linux</h2>
 * No helpers or expectations (EXPECTED never set); SCTP and DCCP are tracked with ports but by the generic
 * tracker (no state, 600 s); GRE version 1 keys take the PPTP call id without the PPTP helper's keymap;
 * UDP-Lite is tracked as UDP; clash resolution at confirmation only for UDP/UDP-Lite (merging into the
 * existing entry), as Linux does without NAT; no events, no timestamps, no labels, no secmark.
 */
package org.jnft.conntrack;
