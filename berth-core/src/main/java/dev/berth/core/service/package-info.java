/**
 * Use cases: start-up (load, re-ensure the predefined networks), list with filters, look-up by
 * id, name or id prefix. Each change follows validate, then apply with rollback.
 *
 * <pre>{@code
 * NetworkService networks = new NetworkService(store, List.of(bridge, host, none), clock, random);
 * networks.start(new DefaultBridgeSettings(IpPrefix.parse("172.17.0.1/16"), 1500, true, true, "0.0.0.0"));
 * Network bridge = networks.inspect("bridge");
 * }</pre>
 *
 * <p>Reads use a snapshot and never block; writes hold one lock. The service knows no kernel or
 * I/O: drivers and the store are ports ({@code spi}).
 */
package dev.berth.core.service;
