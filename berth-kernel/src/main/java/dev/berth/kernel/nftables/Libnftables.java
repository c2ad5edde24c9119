package dev.berth.kernel.nftables;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * The libnftables calls Berth uses, bound with FFM from {@code libnftables.so.1} (Debian package
 * {@code libnftables1}). The library is looked up on first use; if it is missing,
 * {@link #get()} throws an {@link NftException} that says which package to install.
 *
 * <p>Strings returned by the library ({@code const char *}) come back as zero-length segments
 * and must be reinterpreted before reading; they stay owned by the context.
 */
final class Libnftables {
    static final String LIBRARY = "libnftables.so.1";
    static final int NFT_CTX_DEFAULT = 0;
    static final int NFT_CTX_OUTPUT_JSON = 1 << 4;

    final MethodHandle ctxNew;
    final MethodHandle ctxFree;
    final MethodHandle bufferOutput;
    final MethodHandle bufferError;
    final MethodHandle getOutputBuffer;
    final MethodHandle getErrorBuffer;
    final MethodHandle runCmdFromBuffer;
    final MethodHandle outputGetFlags;
    final MethodHandle outputSetFlags;

    private Libnftables(SymbolLookup lookup) {
        ctxNew = bind(lookup, "nft_ctx_new", FunctionDescriptor.of(ADDRESS, JAVA_INT));
        ctxFree = bind(lookup, "nft_ctx_free", FunctionDescriptor.ofVoid(ADDRESS));
        bufferOutput = bind(lookup, "nft_ctx_buffer_output", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        bufferError = bind(lookup, "nft_ctx_buffer_error", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        getOutputBuffer = bind(lookup, "nft_ctx_get_output_buffer", FunctionDescriptor.of(ADDRESS, ADDRESS));
        getErrorBuffer = bind(lookup, "nft_ctx_get_error_buffer", FunctionDescriptor.of(ADDRESS, ADDRESS));
        runCmdFromBuffer = bind(lookup, "nft_run_cmd_from_buffer", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
        outputGetFlags = bind(lookup, "nft_ctx_output_get_flags", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        outputSetFlags = bind(lookup, "nft_ctx_output_set_flags", FunctionDescriptor.ofVoid(ADDRESS, JAVA_INT));
    }

    /** The loaded binding; throws NftException naming the package when the library is missing. */
    static Libnftables get() {
        return Holder.outcome();
    }

    /** Reads a {@code const char *} the library returned; null pointers read as "". */
    static String string(MemorySegment cString) {
        if (cString.equals(MemorySegment.NULL)) {
            return "";
        }
        return cString.reinterpret(Integer.MAX_VALUE).getString(0);
    }

    @SuppressWarnings("restricted") // native access is the point of this class
    private static MethodHandle bind(SymbolLookup lookup, String name, FunctionDescriptor descriptor) {
        MemorySegment symbol = lookup.find(name)
                .orElseThrow(() -> new NftException("bind " + name,
                        new IllegalStateException("symbol not found in " + LIBRARY)));
        return Linker.nativeLinker().downcallHandle(symbol, descriptor);
    }

    /** Loads once; remembers a failure so every caller gets the same clear message. */
    private static final class Holder {
        private static final Libnftables INSTANCE;
        private static final RuntimeException FAILURE;

        static {
            Libnftables loaded = null;
            RuntimeException failure = null;
            try {
                loaded = new Libnftables(SymbolLookup.libraryLookup(LIBRARY, Arena.global()));
            } catch (IllegalArgumentException e) {
                failure = new NftException("load " + LIBRARY + " (install the libnftables1 package)", e);
            } catch (RuntimeException e) {
                failure = e;
            }
            INSTANCE = loaded;
            FAILURE = failure;
        }

        static Libnftables outcome() {
            if (INSTANCE == null) {
                throw FAILURE;
            }
            return INSTANCE;
        }
    }
}
