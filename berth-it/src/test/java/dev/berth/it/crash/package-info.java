/**
 * Crash injection: a test-only Java agent that SIGKILLs the daemon at a chosen step (each
 * rtnetlink request, sysctl write, namespace mount/unmount/unlink, nft transaction, store
 * transaction, process start/kill, sandbox file change, reply to a changing request), and the
 * checks that a restart after such a kill converges.
 *
 * <p>Usage: {@code AgentJar.write(dir.resolve("crash-agent.jar"))}, then start the daemon with
 * {@code -javaagent:<jar>=trace=<file>,arm=<file>[,crash=<point>]}; create the arm file right
 * before the operation under test. A first run without {@code crash=} lists the operation's
 * points in the trace; then one run per point kills the daemon there.
 *
 * <p>Be aware: production code has no hook; the agent rewrites the methods listed in
 * {@link dev.berth.it.crash.CrashSites} when they are loaded, so renaming one of them drops its
 * points (the trace's {@code # site} lines show what was instrumented). Points are named by
 * what they do and who called them, and counted per name, so a name with its occurrence number
 * designates the same step in every run of the same build.
 */
package dev.berth.it.crash;
