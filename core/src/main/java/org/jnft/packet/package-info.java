/**
 * The packet layer: flyweight header views over {@link java.lang.foreign.MemorySegment}, the Internet
 * checksum, the validating frame parser, a frame builder for tests and the demo, address text forms, and
 * the data plane's reusable {@link org.jnft.packet.PacketBuffer}. Depends on nothing but the JDK.
 *
 * <h2>Conventions</h2>
 * <ul>
 *   <li>A MAC address is a {@code long} (low 48 bits, first octet most significant); an IPv4 address an
 *       {@code int} read big-endian; an IPv6 address two {@code long}s, {@code hi} (bytes 0..7) and
 *       {@code lo} (bytes 8..15).</li>
 *   <li>Views ({@link org.jnft.packet.EthernetView}, {@link org.jnft.packet.VlanView},
 *       {@link org.jnft.packet.ArpView}, {@link org.jnft.packet.Ipv4View}, {@link org.jnft.packet.Ipv6View},
 *       {@link org.jnft.packet.TcpView}, {@link org.jnft.packet.UdpView}, {@link org.jnft.packet.IcmpView},
 *       {@link org.jnft.packet.Icmpv6View}) are reusable: {@code wrap(segment, offset)} returns the view;
 *       getters return unsigned values (32-bit fields as raw {@code int}s), setters write network byte
 *       order and return the view. They neither copy nor allocate, and trust the caller to stay inside
 *       the bytes the parser vouched for.</li>
 *   <li>{@link org.jnft.packet.PacketParser#parse} never throws and never allocates: it returns a
 *       {@link org.jnft.packet.ParseStatus} whose {@link org.jnft.packet.ParseStatus#dropReason} is the
 *       Linux {@code skb_drop_reason} name the pipeline counts.</li>
 *   <li>Text parsing ({@link org.jnft.packet.Addresses}) throws {@link java.lang.IllegalArgumentException};
 *       it is for configuration, not for packets.</li>
 * </ul>
 *
 * <h2>Typical use on the data plane</h2>
 * <pre>{@code
 * PacketParser.parse(buf.segment(), buf.offset(), buf.length(), info);
 * if (info.status != ParseStatus.OK) { drops.count(ParseStatus.dropReason(info.status)); return; }
 * if (info.isIpv4()) {
 *     ip4.wrap(buf.segment(), info.l3Offset);
 *     if (ip4.ttl() <= 1) { ... }
 *     ip4.decrementTtl();               // RFC 1624, as ip_decrease_ttl
 * }
 * }</pre>
 */
package org.jnft.packet;
