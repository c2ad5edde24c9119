package dev.berth.it.crash;

import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassHierarchyResolver;
import java.lang.classfile.ClassModel;
import java.lang.classfile.CodeBuilder;
import java.lang.classfile.CodeElement;
import java.lang.classfile.CodeTransform;
import java.lang.classfile.MethodModel;
import java.lang.constant.ClassDesc;
import java.lang.constant.ConstantDescs;
import java.lang.constant.MethodTypeDesc;
import java.lang.instrument.ClassFileTransformer;
import java.lang.reflect.AccessFlag;
import java.security.ProtectionDomain;
import java.util.List;
import java.util.function.Consumer;

/**
 * Where the daemon changes something outside its heap: every rtnetlink request, sysctl write,
 * mount, unmount and unlink (namespace files), namespace creation, libnftables transaction, store
 * transaction, process start/kill, sandbox file change, and the reply to a changing API request.
 * At the first instruction of each such method the transformer inserts
 * {@code CrashAgent.hit("<site>", <argument>, <argument>)}.
 *
 * <p>This table is the coupling to the daemon's internals: a renamed method silently stops being
 * a kill point, so the IT checks that every row was instrumented (see {@link Probe#instrumented}).
 */
final class CrashSites implements ClassFileTransformer {

    /**
     * A method to instrument; {@code arg} and {@code extra} are the parameters passed as detail
     * and extra (-1: none).
     */
    record Site(String owner, String method, String descriptor, String kind, int arg, int extra) {
        Site(String owner, String method, String descriptor, String kind, int arg) {
            this(owner, method, descriptor, kind, arg, -1);
        }

        boolean matches(MethodModel m) {
            return m.methodName().equalsString(method)
                    && (descriptor == null || m.methodType().equalsString(descriptor));
        }

        String label() {
            return owner.substring(owner.lastIndexOf('/') + 1) + "." + method;
        }
    }

    static final List<Site> SITES = List.of(
            new Site("dev/berth/kernel/netlink/NetlinkSocket", "request", null, "netlink", 1, 0),
            new Site("dev/berth/kernel/sysctl/Sysctl", "write", "(Ljava/lang/String;Ljava/lang/String;)V", "sysctl", 0),
            new Site("dev/berth/kernel/netns/NetNs", "create", null, "netns-create", 0),
            new Site("dev/berth/kernel/ffm/Libc", "mount", null, "mount", 1),
            new Site("dev/berth/kernel/ffm/Libc", "umount2", null, "umount", 0),
            new Site("dev/berth/kernel/ffm/Libc", "unlink", null, "unlink", 0),
            new Site("dev/berth/kernel/nftables/NftContext", "run", null, "nft", -1),
            new Site("dev/berth/daemon/store/SqliteStateStore", "transaction", null, "store", 0),
            new Site("dev/berth/daemon/store/SqliteStateStore", "update", null, "store", 0),
            new Site("dev/berth/daemon/process/ConmonLauncher", "start", null, "process-start", -1),
            new Site("dev/berth/daemon/process/ConmonLauncher", "kill", null, "process-kill", -1),
            new Site("dev/berth/daemon/process/ConmonLauncher", "killInNamespace", null, "process-kill-netns", -1),
            new Site("dev/berth/daemon/process/ConmonLauncher", "updateFiles", null, "files-update", -1),
            new Site("dev/berth/daemon/process/ConmonLauncher", "deleteFiles", null, "files-delete", -1),
            new Site("dev/berth/daemon/api/Dispatcher", "write", null, "api-reply", 0));

    private static final ClassDesc AGENT = ClassDesc.of(CrashAgent.class.getName());
    private static final MethodTypeDesc HIT = MethodTypeDesc.of(ConstantDescs.CD_void, ConstantDescs.CD_String,
            ConstantDescs.CD_Object, ConstantDescs.CD_Object);

    private final Consumer<String> onInstrumented;

    CrashSites(Consumer<String> onInstrumented) {
        this.onInstrumented = onInstrumented;
    }

    @Override
    public byte[] transform(ClassLoader loader, String className, Class<?> redefined, ProtectionDomain domain,
            byte[] bytes) {
        if (className == null || SITES.stream().noneMatch(s -> s.owner().equals(className))) {
            return null;
        }
        try {
            ClassLoader resolverLoader = loader != null ? loader : ClassLoader.getSystemClassLoader();
            ClassFile files = ClassFile.of(ClassFile.ClassHierarchyResolverOption.of(
                    ClassHierarchyResolver.defaultResolver().orElse(
                            ClassHierarchyResolver.ofResourceParsing(resolverLoader))));
            return instrument(files, files.parse(bytes), className);
        } catch (RuntimeException | Error e) {
            // A transformer's exception is swallowed by the JVM; say so loudly instead.
            onInstrumented.accept("FAILED " + className + ": " + e);
            return null;
        }
    }

    private byte[] instrument(ClassFile files, ClassModel model, String className) {
        return files.transformClass(model, (classBuilder, element) -> {
            if (element instanceof MethodModel m && site(className, m) != null && m.code().isPresent()) {
                Site site = site(className, m);
                classBuilder.transformMethod(m, (mb, me) -> {
                    if (me instanceof java.lang.classfile.CodeModel code) {
                        mb.transformCode(code, prologue(site, m));
                    } else {
                        mb.with(me);
                    }
                });
                onInstrumented.accept(site.label() + m.methodType().stringValue());
            } else {
                classBuilder.with(element);
            }
        });
    }

    private static CodeTransform prologue(Site site, MethodModel m) {
        return new CodeTransform() {
            @Override
            public void atStart(CodeBuilder b) {
                b.ldc(site.kind());
                load(b, site.arg(), m);
                load(b, site.extra(), m);
                b.invokestatic(AGENT, "hit", HIT);
            }

            @Override
            public void accept(CodeBuilder b, CodeElement e) {
                b.with(e);
            }
        };
    }

    /** Pushes parameter {@code arg} (a reference) of the method, or null. */
    private static void load(CodeBuilder b, int arg, MethodModel m) {
        List<ClassDesc> params = m.methodTypeSymbol().parameterList();
        if (arg < 0 || arg >= params.size() || params.get(arg).isPrimitive()) {
            b.aconst_null();
            return;
        }
        int slot = m.flags().has(AccessFlag.STATIC) ? 0 : 1;
        for (int i = 0; i < arg; i++) {
            ClassDesc p = params.get(i);
            slot += p.equals(ConstantDescs.CD_long) || p.equals(ConstantDescs.CD_double) ? 2 : 1;
        }
        b.aload(slot);
    }

    private static Site site(String className, MethodModel m) {
        for (Site s : SITES) {
            if (s.owner().equals(className) && s.matches(m)) {
                return s;
            }
        }
        return null;
    }
}
