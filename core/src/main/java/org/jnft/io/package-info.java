/**
 * Links to the outside: capture files today ({@link org.jnft.io.PcapReader} reads classic pcap and
 * pcapng, {@link org.jnft.io.PcapWriter} writes classic microsecond pcap as tcpdump does), in-memory and
 * AF_PACKET links later. Malformed files raise {@link org.jnft.io.PcapFormatException}
 * ({@code FILE: offset N: reason}); a file cut in the middle of a record is malformed, not a short file.
 * Reading and writing frames allocates nothing in the steady state (use {@code PcapReader.buffer()} and
 * {@code frameStart()} for a slice-free view).
 */
package org.jnft.io;
