/**
 * The periodic reconcile: {@link dev.berth.daemon.reconcile.ReconcileLoop} runs the core's
 * {@code Reconciler} on a platform thread of its own every two seconds and logs what a pass found.
 *
 * <pre>{@code
 * ReconcileLoop loop = new ReconcileLoop(new Reconciler(networks, sandboxes));
 * loop.start();
 * loop.close();   // stops the timer, waits for a running pass
 * }</pre>
 */
package dev.berth.daemon.reconcile;
