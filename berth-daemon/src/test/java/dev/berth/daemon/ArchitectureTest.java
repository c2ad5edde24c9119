package dev.berth.daemon;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.fields;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.properties.HasName;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import com.tngtech.archunit.library.dependencies.SliceRule;
import dev.berth.daemon.archfixture.ClassCycle;
import dev.berth.daemon.archfixture.MutableStatics;
import org.junit.jupiter.api.Test;

/**
 * The dependency rules of docs/architecture.md, checked over every production class of every module. A rule
 * whose package pattern matches no class fails (ArchUnit's {@code failOnEmptyShould}), so a
 * misspelt or moved package cannot silently switch a rule off; the last tests show on fixtures that
 * each hand-written check does catch what it is for.
 */
class ArchitectureTest {
    private static final String[] JDK = {"java..", "javax.."};
    private final JavaClasses classes = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            // berth-core's shared test doubles arrive as a test jar, which the option above misses.
            .withImportOption(location -> !location.contains("-tests.jar"))
            .importPackages("dev.berth");

    private static ArchRule onlyUses(String layer, String... allowed) {
        String[] all = new String[allowed.length + JDK.length + 1];
        System.arraycopy(allowed, 0, all, 0, allowed.length);
        System.arraycopy(JDK, 0, all, allowed.length, JDK.length);
        all[all.length - 1] = layer;
        return classes().that().resideInAPackage(layer).should().onlyDependOnClassesThat().resideInAnyPackage(all);
    }

    /**
     * Of the classes in {@code packages}, {@code layer} may use only those whose name (without the
     * package) matches {@code names} (and their nested classes).
     */
    private static ArchRule onlyClassesOf(String layer, String names, String... packages) {
        String prefix = "(" + String.join("|", java.util.Arrays.stream(packages)
                .map(p -> p.replace("..", "").replace(".", "\\.")).toList()) + ")\\.";
        return noClasses().that().resideInAPackage(layer).should().dependOnClassesThat(
                JavaClass.Predicates.resideInAnyPackage(packages)
                        .and(DescribedPredicate.not(HasName.Predicates.nameMatching(prefix + "(" + names + ")(\\$.*)?"))));
    }

    /** berth-cluster is etcd as keys and values: jetcd (and netty's TLS contexts it takes) and the JDK, no domain types. */
    @Test
    void clusterModuleKnowsOnlyEtcd() {
        onlyUses("dev.berth.cluster..", "io.etcd..", "io.grpc..", "io.netty.handler.ssl..").check(classes);
    }

    @Test
    void modelErrorsAndKernelUseOnlyTheJdk() {
        onlyUses("dev.berth.core.model..", "dev.berth.core.errors..").check(classes);
        onlyUses("dev.berth.core.errors..").check(classes);
        onlyUses("dev.berth.kernel..").check(classes);
    }

    @Test
    void coreHasNoIoAndNoKernel() {
        onlyUses("dev.berth.core.ipam..", "dev.berth.core.model..", "dev.berth.core.errors..").check(classes);
        onlyUses("dev.berth.core.spi..", "dev.berth.core.model..", "dev.berth.core.errors..").check(classes);
        // "..": holds for service and for any sub-packages it is split into
        onlyUses("dev.berth.core.service..", "dev.berth.core.spi..", "dev.berth.core.ipam..",
                "dev.berth.core.model..", "dev.berth.core.errors..").check(classes);
        noClasses().that().resideInAPackage("dev.berth.core..").should().dependOnClassesThat()
                .resideInAnyPackage("java.io..", "java.nio.file..", "java.nio.channels..", "java.sql..",
                        "java.net.http..", "java.lang.foreign..")
                .check(classes);
    }

    /** The use-case sub-packages depend one way: sandbox → network → state → event. */
    @Test
    void serviceSubPackagesDependOneWay() {
        String svc = "dev.berth.core.service";
        noClasses().that().resideInAPackage(svc + ".event..").should().dependOnClassesThat()
                .resideInAnyPackage(svc + ".state..", svc + ".network..", svc + ".sandbox..").check(classes);
        noClasses().that().resideInAPackage(svc + ".state..").should().dependOnClassesThat()
                .resideInAnyPackage(svc + ".network..", svc + ".sandbox..").check(classes);
        noClasses().that().resideInAPackage(svc + ".network..").should().dependOnClassesThat()
                .resideInAPackage(svc + ".sandbox..").check(classes);
    }

    @Test
    void daemonPartsKeepToTheirLanes() {
        onlyUses("dev.berth.daemon.driver..", "dev.berth.core.spi..", "dev.berth.core.model..",
                "dev.berth.core.errors..", "dev.berth.kernel..", "dev.berth.daemon.onlink..").check(classes);
        // The one on-link rule the NDP proxy (a driver) and the doctor share: pure, over netlink's records.
        onlyUses("dev.berth.daemon.onlink..", "dev.berth.core.model..", "dev.berth.core.errors..",
                "dev.berth.kernel.netlink..").check(classes);
        onlyUses("dev.berth.daemon.process..", "dev.berth.core.spi..", "dev.berth.core.model..",
                "dev.berth.core.errors..", "dev.berth.kernel.ffm..", "com.fasterxml.jackson..").check(classes);
        onlyUses("dev.berth.daemon.firewall..", "dev.berth.core.spi..", "dev.berth.core.model..",
                "dev.berth.core.errors..", "dev.berth.kernel.nftables..", "dev.berth.kernel.sysctl..",
                "dev.berth.kernel.ffm..", "com.fasterxml.jackson..").check(classes);
        onlyUses("dev.berth.daemon.store..", "dev.berth.core.spi..", "dev.berth.core.model..",
                "dev.berth.core.errors..", "com.fasterxml.jackson..", "org.sqlite..").check(classes);
        onlyUses("dev.berth.daemon.dns..", "dev.berth.core.spi..", "dev.berth.core.model..",
                "dev.berth.core.errors..", "dev.berth.kernel.ffm..", "org.xbill..").check(classes);
        // of the kernel, the DNS server uses only batched UDP I/O (the namespaces are the port's)
        onlyClassesOf("dev.berth.daemon.dns..", "ffm\\.UdpBatch", "dev.berth.kernel..").check(classes);
        onlyUses("dev.berth.daemon.image..", "dev.berth.core.spi..", "dev.berth.core.model..",
                "dev.berth.core.errors..", "dev.berth.kernel.ffm..", "com.fasterxml.jackson..",
                "org.apache.commons.compress..").check(classes);
        onlyUses("dev.berth.daemon.api..", "dev.berth.core.service..", "dev.berth.core.model..",
                "dev.berth.core.errors..", "dev.berth.api..", "dev.berth.daemon.doctor..", "dev.berth.daemon.image..",
                "dev.berth.daemon.process", "com.fasterxml.jackson..", "org.eclipse.jetty..", "org.slf4j..").check(classes);
        // of the processes, the API sees only the streams of containers (the rest is the life cycle's)
        onlyClassesOf("dev.berth.daemon.api..", "ContainerIo", "dev.berth.daemon.process..").check(classes);
        // The doctor reads the host and what the store says (handed to it); it changes nothing.
        onlyUses("dev.berth.daemon.doctor..", "dev.berth.core.spi..", "dev.berth.core.model..",
                "dev.berth.core.errors..", "dev.berth.kernel.netlink..", "dev.berth.kernel.sysctl..",
                "dev.berth.kernel.nftables..", "dev.berth.kernel.ffm..", "dev.berth.daemon.onlink..").check(classes);
        onlyUses("dev.berth.daemon.config..", "dev.berth.core.service..", "dev.berth.core.ipam..",
                "dev.berth.core.model..", "dev.berth.core.errors..", "dev.berth.daemon.api..",
                "dev.berth.cluster.etcd..", "com.fasterxml.jackson..").check(classes);
        // of the etcd client, the configuration knows only the TLS files it takes
        onlyClassesOf("dev.berth.daemon.config..", "EtcdTls", "dev.berth.cluster.etcd..").check(classes);
        onlyUses("dev.berth.daemon.host..", "dev.berth.daemon.config..", "dev.berth.daemon.api..",
                "dev.berth.core.service..", "dev.berth.kernel.ffm..", "dev.berth.kernel.sysctl..").check(classes);
        onlyUses("dev.berth.daemon.reconcile..", "dev.berth.core.service..").check(classes);
        // The metrics read the state and implement the observers the parts tell; they change nothing.
        onlyUses("dev.berth.daemon.metrics..", "dev.berth.core.service..", "dev.berth.core.model..",
                "dev.berth.daemon.api..", "dev.berth.daemon.dns..", "dev.berth.kernel.ffm..",
                "dev.berth.kernel.nftables..", "io.prometheus..").check(classes);
        // of the API and the DNS server, only the observer interfaces
        onlyClassesOf("dev.berth.daemon.metrics..", "RequestObserver|DnsObserver", "dev.berth.daemon.api..",
                "dev.berth.daemon.dns..").check(classes);
        // The Prometheus library stays in daemon.metrics: core, kernel and the other parts never see it.
        noClasses().that().resideOutsideOfPackage("dev.berth.daemon.metrics..").should().dependOnClassesThat()
                .resideInAPackage("io.prometheus..").check(classes);
        // The cluster member: etcd through berth-cluster, the services it feeds, the store's network codec.
        onlyUses("dev.berth.daemon.cluster..", "dev.berth.cluster..", "dev.berth.core.service..",
                "dev.berth.core.spi..", "dev.berth.core.model..", "dev.berth.core.errors..",
                "dev.berth.daemon.store", "com.fasterxml.jackson..").check(classes);
        // of the store, the cluster sees only the codec of networks
        onlyClassesOf("dev.berth.daemon.cluster..", "NetworkCodec", "dev.berth.daemon.store..").check(classes);
        // The registry client speaks HTTP (java.net.http) and knows nothing of the local store.
        onlyUses("dev.berth.daemon.image.registry..", "dev.berth.core.errors..", "com.fasterxml.jackson..")
                .check(classes);
    }

    /**
     * The sandbox-namespace ports: the two SPIs they implement and the kernel packages they drive
     * (namespaces, lo up over rtnetlink, a sysctl, the DNS redirect's nf_tables batch over
     * netlink), nothing else. Not libnftables ({@code kernel.nftables}): a context made inside a
     * sandbox late in the daemon's life gets a descriptor above 1024, and its {@code select()}
     * makes glibc abort the daemon.
     */
    @Test
    void netnsUsesOnlyWhatItNeeds() {
        onlyUses("dev.berth.daemon.netns..", "dev.berth.core.spi..", "dev.berth.core.model..",
                "dev.berth.core.errors..", "dev.berth.kernel.netns..", "dev.berth.kernel.netlink..",
                "dev.berth.kernel.sysctl..", "dev.berth.kernel.ffm..")
                .check(classes);
        classes().that().resideInAPackage("dev.berth.daemon.netns..").and().areTopLevelClasses()
                .and().doNotHaveSimpleName("package-info")
                .should().implement(dev.berth.core.spi.SandboxRuntime.class)
                .orShould().implement(dev.berth.core.spi.SandboxNamespaces.class)
                .check(classes);
    }

    /**
     * The composition root holds {@code main()} and the wiring, nothing else: logic goes to a
     * package of its own (config, host, reconcile...). DnsFeed stays until the change stream
     * replaces it.
     */
    @Test
    void theRootPackageIsMainAndWiringOnly() {
        classes().that().resideInAPackage("dev.berth.daemon")
                .should().haveNameMatching("dev\\.berth\\.daemon\\.(Main|Daemon|DnsFeed|package-info)(\\$.*)?")
                .because("the root package keeps main() and wiring only").check(classes);
        noClasses().that().resideOutsideOfPackage("dev.berth.daemon").should().dependOnClassesThat()
                .resideInAPackage("dev.berth.daemon").check(classes);
    }

    @Test
    void cliAndApiRecordsStayApartFromTheDaemon() {
        onlyUses("dev.berth.cli..", "dev.berth.api..", "com.fasterxml.jackson..").check(classes);
        onlyUses("dev.berth.api..", "com.fasterxml.jackson..").check(classes);
        noClasses().that().resideInAPackage("dev.berth.core..").should().dependOnClassesThat()
                .resideInAPackage("dev.berth.api..").check(classes);
    }

    @Test
    void noPackageCyclesAndNoClassCycles() {
        slices().matching("dev.berth.(**)").should().beFreeOfCycles().check(classes);
        classCycles()
                .check(classes);
    }

    @Test
    void noStaticMutableStateAndNoVagueNames() {
        noStaticMutableState().check(classes);
        noClasses().should().haveSimpleNameEndingWith("Manager").orShould().haveSimpleNameEndingWith("Helper")
                .orShould().haveSimpleNameEndingWith("Util").orShould().haveSimpleNameEndingWith("Utils")
                .check(classes);
    }

    // ---- the rules check what they claim: on fixtures that break them, and on a misspelt package

    @Test
    void aMisspeltPackageFailsInsteadOfPassingEmpty() {
        AssertionError e = assertThrows(AssertionError.class,
                () -> onlyUses("dev.berth.daemon.nets..", "dev.berth.core.spi..").check(classes));
        assertTrue(e.getMessage().contains("failed to check any classes"), e.getMessage());
    }

    @Test
    void staticMutableStateIsFoundAlsoBehindFinal() {
        JavaClasses fixture = new ClassFileImporter().importClasses(MutableStatics.class);
        AssertionError e = assertThrows(AssertionError.class, () -> noStaticMutableState().check(fixture));
        for (String field : new String[] {"COUNTER", "NAMES", "BY_KEY", "TABLE", "HITS", "LATEST"}) {
            assertTrue(e.getMessage().contains("MutableStatics." + field + ">"), field + " not reported: " + e.getMessage());
        }
        for (String field : new String[] {"FIXED", "KEYS", "COPY", "WRAPPED", "LIMIT"}) {
            assertTrue(!e.getMessage().contains("MutableStatics." + field + ">"), field + " reported: " + e.getMessage());
        }
    }

    @Test
    void aCycleBetweenTwoClassesOfOnePackageIsFound() {
        JavaClasses fixture = new ClassFileImporter().importClasses(ClassCycle.class, ClassCycle.Other.class,
                dev.berth.daemon.archfixture.CycleEnd.class);
        AssertionError e = assertThrows(AssertionError.class, () -> classCycles().check(fixture));
        assertTrue(e.getMessage().contains("ClassCycle") && e.getMessage().contains("CycleEnd"), e.getMessage());
    }

    private static ArchRule noStaticMutableState() {
        return fields().that().areStatic().and().areDeclaredInClassesThat().resideInAPackage("dev.berth..")
                .should(StaticState.holdNoMutableState());
    }

    /** Each top-level class (with its nested classes) is a slice: a cycle between two classes is reported. */
    private static SliceRule classCycles() {
        return slices().assignedFrom(new SliceAssignment() {
            @Override
            public SliceIdentifier getIdentifierOf(JavaClass c) {
                if (!c.getPackageName().startsWith("dev.berth")) {
                    return SliceIdentifier.ignore();
                }
                JavaClass top = c;
                while (top.getEnclosingClass().isPresent()) {
                    top = top.getEnclosingClass().get();
                }
                return SliceIdentifier.of(top.getName());
            }

            @Override
            public String getDescription() {
                return "top-level classes";
            }
        }).should().beFreeOfCycles();
    }
}
