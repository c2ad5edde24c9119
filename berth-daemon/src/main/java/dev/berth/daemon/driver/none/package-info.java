/**
 * The {@code null} network driver (network {@code none}): loopback only.
 *
 * <pre>{@code
 * NetworkDriver none = new NullDriver();
 * }</pre>
 *
 * <p>Docker names the driver {@code null} and the network {@code none}; both names are kept.
 */
package dev.berth.daemon.driver.none;
