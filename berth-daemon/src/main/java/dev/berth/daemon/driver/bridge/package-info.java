/**
 * The {@code bridge} network driver: a Linux bridge per network with the pools' gateway
 * addresses, through rtnetlink (no {@code ip} processes).
 *
 * <pre>{@code
 * NetworkDriver bridge = new BridgeDriver(RtNetlink.open(), new SecureRandom());
 * bridge.ensure(network); // creates or repairs br-<id12> / docker0
 * }</pre>
 *
 * <p>The bridge gets an explicit random MAC: left alone, the kernel gives a bridge the lowest MAC
 * of its ports, so its MAC (and the sandboxes' neighbour entries) would change as ports come
 * and go. IPv6 gateways are added with NODAD, as Docker does, so they are usable at once.
 */
package dev.berth.daemon.driver.bridge;
