package io.tcpfleet.server;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** A reader can follow the server's packages downward: no package cycle, and nothing below reaches up to the root. */
class ArchitectureTest {

    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.tcpfleet.server");

    @Test
    void packagesHaveNoCycles() {
        slices().matching("io.tcpfleet.server.(*)..").should().beFreeOfCycles().check(MAIN);
    }

    @Test
    void onlyTheRootWiresThePackagesTogether() {
        noClasses()
                .that()
                .resideOutsideOfPackage("io.tcpfleet.server")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("io.tcpfleet.server")
                .check(MAIN);
    }
}
