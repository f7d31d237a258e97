/**
 * Devices, the NET file, the FIB and the neighbour table.
 *
 * <ul>
 * <li>{@link org.jnft.route.NetFile} parses a NET file into a {@link org.jnft.route.NetConfig}, which
 *     builds the {@link org.jnft.route.Devices} (lo = 1, links 2, 3, ... in file order), the
 *     {@link org.jnft.route.Fib} and a {@link org.jnft.route.Neighbours} table.</li>
 * <li>The FIB reproduces what Linux builds for the same {@code ip} commands: the local table (addresses,
 *     broadcasts, lo's 127/8, IPv6 multicast) consulted before the main table (connected routes, fe80::/64
 *     per link, the file's routes), longest prefix first, then lowest metric, then first added. It is
 *     immutable; a route change makes a new {@code Fib} (so "did the routes change?" is an identity check
 *     on the {@code Fib} object).</li>
 * <li>{@link org.jnft.route.NeighbourTable} is Linux's neighbour subsystem (ARP and NDP resolution, the NUD
 *     state machine) behind one API; its package-private parts, one concern a file: {@code NeighbourEntries}
 *     (entry storage, the hash index, ids, GC lists, the listing), {@code NudMachine} (neigh_update,
 *     __neigh_event_send, neigh_timer_handler, probes, the release and purge of queues), {@code NeighbourGc}
 *     (neigh_alloc with forced GC, periodic GC, entry removal, the timer clock), {@code NeighbourInput}
 *     (arp_process, ndisc_recv_ns/na/rs), {@code PendingQueue} and {@code PacketPool} (the queued
 *     packets), {@code TimerHeap} (per-entry timers).</li>
 * <li>Lookups ({@code Fib.lookup4/lookup6}, {@code Neighbours.lookup4/lookup6}, {@code Devices} queries,
 *     source-address selection) allocate nothing.</li>
 * </ul>
 *
 * Addresses are primitives (DESIGN.md): MAC a {@code long}, IPv4 an {@code int}, IPv6 two {@code long}s.
 * This package does not depend on org.jnft.packet: its small text helpers are package-private.
 */
package org.jnft.route;
