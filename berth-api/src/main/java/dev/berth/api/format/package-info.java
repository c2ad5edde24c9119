/**
 * Docker's wording conventions that both sides of the API need, so the daemon's JSON and the
 * CLI's tables say the same thing.
 *
 * <pre>{@code
 * String status = "Up " + HumanDuration.of(Duration.between(started, now));
 * }</pre>
 *
 * <p>Pure functions of their arguments; no clock is read here.
 */
package dev.berth.api.format;
