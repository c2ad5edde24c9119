/**
 * The sealed, unchecked error family: one subtype per category (not found, conflict, invalid
 * parameter, forbidden, unavailable, internal).
 *
 * <pre>{@code
 * throw new NotFoundException("network " + term + " not found");
 * }</pre>
 *
 * <p>Messages are shown to users verbatim (the docker CLI prints them after "Error response from
 * daemon:"), so they follow Docker's texts. Throw once; never log and rethrow.
 */
package dev.berth.core.errors;
