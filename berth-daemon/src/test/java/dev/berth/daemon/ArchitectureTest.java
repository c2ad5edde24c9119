package dev.berth.daemon;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.fields;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.Test;

/** The dependency rules of design.md, checked over every production class of every module. */
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
        return classes().that().resideInAPackage(layer).should().onlyDependOnClassesThat().resideInAnyPackage(all)
                .allowEmptyShould(true);
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
        onlyUses("dev.berth.core.service..", "dev.berth.core.spi..", "dev.berth.core.ipam..",
                "dev.berth.core.model..", "dev.berth.core.errors..").check(classes);
        noClasses().that().resideInAPackage("dev.berth.core..").should().dependOnClassesThat()
                .resideInAnyPackage("java.io..", "java.nio.file..", "java.nio.channels..", "java.sql..",
                        "java.net.http..", "java.lang.foreign..")
                .check(classes);
    }

    @Test
    void daemonPartsKeepToTheirLanes() {
        onlyUses("dev.berth.daemon.driver..", "dev.berth.core.spi..", "dev.berth.core.model..",
                "dev.berth.core.errors..", "dev.berth.kernel..").check(classes);
        onlyUses("dev.berth.daemon.netns..", "dev.berth.core.spi..", "dev.berth.core.model..",
                "dev.berth.core.errors..", "dev.berth.kernel..").check(classes);
        onlyUses("dev.berth.daemon.process..", "dev.berth.core.spi..", "dev.berth.core.model..",
                "dev.berth.core.errors..").check(classes);
        onlyUses("dev.berth.daemon.firewall..", "dev.berth.core.spi..", "dev.berth.core.model..",
                "dev.berth.core.errors..", "dev.berth.kernel.nftables..", "dev.berth.kernel.sysctl..",
                "dev.berth.kernel.ffm..", "com.fasterxml.jackson..").check(classes);
        onlyUses("dev.berth.daemon.store..", "dev.berth.core.spi..", "dev.berth.core.model..",
                "dev.berth.core.errors..", "com.fasterxml.jackson..", "org.sqlite..").check(classes);
        onlyUses("dev.berth.daemon.dns..", "dev.berth.core.spi..", "dev.berth.core.model..",
                "dev.berth.core.errors..", "org.xbill..").check(classes);
        onlyUses("dev.berth.daemon.api..", "dev.berth.core.service..", "dev.berth.core.model..",
                "dev.berth.core.errors..", "dev.berth.api..", "com.fasterxml.jackson..", "org.eclipse.jetty..",
                "org.slf4j..").check(classes);
    }

    @Test
    void nothingImportsTheCompositionRoot() {
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
    void noPackageCyclesAndNoStaticMutableState() {
        slices().matching("dev.berth.(**)").should().beFreeOfCycles().check(classes);
        fields().that().areStatic().and().areDeclaredInClassesThat().resideInAPackage("dev.berth..")
                .should().beFinal().check(classes);
        noClasses().should().haveSimpleNameEndingWith("Manager").orShould().haveSimpleNameEndingWith("Helper")
                .orShould().haveSimpleNameEndingWith("Util").orShould().haveSimpleNameEndingWith("Utils")
                .check(classes);
    }
}
