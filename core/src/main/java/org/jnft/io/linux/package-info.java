/**
 * Linux links through java.lang.foreign (no JNI, no native build): the only package that calls native
 * code, depending on org.jnft.packet and the JDK alone.
 *
 * <ul>
 * <li>{@link org.jnft.io.linux.AfPacketLink}: an AF_PACKET socket on one interface (ETH_P_ALL,
 *   promiscuous), a memory-mapped TPACKET_V3 receive ring read in batches without copying (block status
 *   read with acquire, handed back with release), batched transmission with sendmmsg(2); the host's own
 *   outgoing frames are not received (PACKET_IGNORE_OUTGOING, PACKET_OUTGOING skipped). No allocation
 *   per frame once running.</li>
 * <li>{@link org.jnft.io.linux.VnetHeader}: PACKET_VNET_HDR metadata. <b>GSO/GRO</b>: veth hands the
 *   socket TCP frames of up to 64 KiB (the sender's TSO/GSO); such a frame is received whole with its
 *   gso_type / gso_size / partial-checksum offsets, and sent on another link with that header, so the
 *   kernel segments it (or the next device takes it whole) and completes the checksum. The daemon
 *   does not forward super-frames whole yet: {@link org.jnft.io.linux.GsoSegmenter} cuts them into their
 *   segments (complete checksums) before the router sees them. A pipeline that rewrites such a frame keeps the IPv4 header checksum complete and
 *   the L4 checksum field as a pseudo-header sum while {@code NEEDS_CSUM} is set (incremental updates of
 *   addresses and ports apply to it as to a full checksum, minus the complement); MTU checks apply per
 *   segment ({@code hdrLen + gsoSize}, as skb_gso_validate_network_len). Frames with {@code NEEDS_CSUM} or
 *   {@code DATA_VALID} carry checksums that need no verification (Linux's CHECKSUM_PARTIAL /
 *   CHECKSUM_UNNECESSARY); {@link org.jnft.io.linux.VnetHeader#completeChecksum} finishes one in
 *   software when final bytes are needed (a capture file).</li>
 * <li>Latency: a TPACKET_V3 block reaches user space when full or when its retire timer fires
 *   ({@code Options.retireTimeoutMillis}, 1 ms by default, rounded to the kernel's tick), so an idle link
 *   adds up to that much per hop; a busy one fills blocks first.</li>
 * <li>{@link org.jnft.io.linux.LinkPoller}: poll(2) over links and netlink sockets, with an eventfd
 *   {@code wakeup()} for other threads (signals, the control plane).</li>
 * <li>{@link org.jnft.io.linux.RtNetlink}: NETLINK_ROUTE dumps of links, addresses and main-table routes
 *   as records, and RTMGRP notifications read without blocking (Linux sends no RTM_DELROUTE for IPv4
 *   routes flushed with a device or an address: re-dump on such events).</li>
 * <li>{@link org.jnft.io.linux.Sysctl}: /proc/sys values, {@code kernelForwarding()} for the daemon's
 *   refusal to run beside a forwarding kernel.</li>
 * <li>{@link org.jnft.io.linux.KernelIngressDrop}: an owned nf_tables netdev table whose ingress chains
 *   drop every frame of the served interfaces after AF_PACKET took its copy, so the kernel's own stack
 *   answers nothing twice; the kernel removes it when the socket closes.</li>
 * <li>{@link org.jnft.io.linux.NetNamespace}: run code in a named namespace on the calling thread
 *   (setns(2)); sockets keep the namespace they were made in.</li>
 * </ul>
 * Kernel errors raise {@link org.jnft.io.linux.NativeException} ({@code CALL: strerror (ENAME)}),
 * errno captured with {@code Linker.Option.captureCallState("errno")}. A capturing downcall slices its
 * capture segment on every call (40 bytes) unless C2 inlines the whole call chain, which depends on the
 * caller's inlining depth; so the data path (poll, sendmmsg, getsockopt) calls bindings without capture,
 * with raw addresses, and only when such a call fails repeats it through the capturing binding to learn
 * errno.
 */
package org.jnft.io.linux;
