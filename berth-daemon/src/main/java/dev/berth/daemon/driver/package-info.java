/**
 * The network drivers, one package each ({@code bridge}, {@code host}, {@code none}), and what
 * drivers share: {@link dev.berth.daemon.driver.KernelFreeDriver}, the base of those whose
 * networks have no kernel objects.
 */
package dev.berth.daemon.driver;
