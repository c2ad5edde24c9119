package dev.berth.kernel.nftables;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A libnftables context: one netlink socket to nf_tables, bound to the network namespace of the
 * thread that called {@link #open()} and staying there whatever that thread does next. To manage
 * another namespace, open the context inside it, e.g.
 * {@code NetNs.open(path).call(NftContext::open)}.
 *
 * <p>Output and errors are buffered (never printed to the process's stdout or stderr). A context
 * is not thread-safe in C; this class serialises every call with a lock. Echo and handle output
 * stay off: they make nft re-read whole chains, which is O(rules) per change.
 */
public final class NftContext implements NftScriptRunner, AutoCloseable {
    private final Libnftables lib;
    private final ReentrantLock lock = new ReentrantLock();
    private MemorySegment ctx;

    private NftContext(Libnftables lib, MemorySegment ctx) {
        this.lib = lib;
        this.ctx = ctx;
    }

    /** A context in the calling thread's network namespace. */
    public static NftContext open() {
        Libnftables lib = Libnftables.get();
        try {
            MemorySegment ctx = (MemorySegment) lib.ctxNew.invokeExact(Libnftables.NFT_CTX_DEFAULT);
            if (ctx.equals(MemorySegment.NULL)) {
                throw new NftException("nft_ctx_new", "returned NULL", "");
            }
            if ((int) lib.bufferOutput.invokeExact(ctx) != 0 || (int) lib.bufferError.invokeExact(ctx) != 0) {
                lib.ctxFree.invokeExact(ctx);
                throw new NftException("nft_ctx_buffer_output/error", "could not buffer output", "");
            }
            return new NftContext(lib, ctx);
        } catch (NftException e) {
            throw e;
        } catch (Throwable t) {
            throw new NftException("open libnftables context", t);
        }
    }

    /** Applies {@code script} as one transaction and returns what nft printed. */
    @Override
    public String run(String script) {
        return execute(script, false);
    }

    /**
     * Runs a read command (e.g. {@code list table inet filter}) with JSON output and returns the
     * JSON text.
     */
    @Override
    public String query(String command) {
        return execute(command, true);
    }

    private String execute(String script, boolean json) {
        lock.lock();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment context = live();
            int flags = (int) lib.outputGetFlags.invokeExact(context);
            int wanted = json ? flags | Libnftables.NFT_CTX_OUTPUT_JSON : flags & ~Libnftables.NFT_CTX_OUTPUT_JSON;
            lib.outputSetFlags.invokeExact(context, wanted);
            int rc = (int) lib.runCmdFromBuffer.invokeExact(context, arena.allocateFrom(script));
            // Reading a buffer also rewinds it for the next command, so read both every time.
            String out = Libnftables.string((MemorySegment) lib.getOutputBuffer.invokeExact(context));
            String err = Libnftables.string((MemorySegment) lib.getErrorBuffer.invokeExact(context));
            if (rc != 0) {
                throw new NftException("apply nft script", err, script);
            }
            return out;
        } catch (NftException e) {
            throw e;
        } catch (Throwable t) {
            throw new NftException("apply nft script", t);
        } finally {
            lock.unlock();
        }
    }

    private MemorySegment live() {
        if (ctx == null) {
            throw new NftException("use libnftables context", "context is closed", "");
        }
        return ctx;
    }

    /** Frees the context; later calls fail. Idempotent. */
    @Override
    public void close() {
        lock.lock();
        try {
            if (ctx != null) {
                lib.ctxFree.invokeExact(ctx);
                ctx = null;
            }
        } catch (Throwable t) {
            throw new NftException("free libnftables context", t);
        } finally {
            lock.unlock();
        }
    }
}
