package dev.berth.kernel.testing;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives each test one fresh {@link ThrowawayNs} as a parameter, the same one to its
 * {@code @BeforeEach} methods and to the test itself, and deletes it after the test, passed or
 * failed (after the test's own {@code @AfterEach} methods).
 *
 * <pre>{@code
 * @ExtendWith(ThrowawayNsExtension.class)
 * class FooIT {
 *     @Test void works(ThrowawayNs ns) { ns.rtnl().createBridge(BridgeSpec.named("br-x")); }
 * }
 * }</pre>
 */
public final class ThrowawayNsExtension implements ParameterResolver, AfterEachCallback {
    private static final ExtensionContext.Namespace STORE = ExtensionContext.Namespace.create(ThrowawayNsExtension.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == ThrowawayNs.class;
    }

    @Override
    public ThrowawayNs resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return context.getStore(STORE).getOrComputeIfAbsent(ThrowawayNs.class, k -> ThrowawayNs.create(),
                ThrowawayNs.class);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        ThrowawayNs ns = context.getStore(STORE).remove(ThrowawayNs.class, ThrowawayNs.class);
        if (ns != null) {
            ns.close();
        }
    }
}
