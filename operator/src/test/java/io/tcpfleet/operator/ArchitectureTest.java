package io.tcpfleet.operator;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * A reader can follow the operator's packages downward: the API types at the bottom, the pure model builders on
 * them, what the operator learns from and does to a fleet's pods beside the dependents, the dependents that apply
 * what the model builds, and the reconciler on top.
 */
class ArchitectureTest {

    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.tcpfleet.operator");

    @Test
    void packagesHaveNoCycles() {
        slices().matching("io.tcpfleet.operator.(*)..")
                .should()
                .beFreeOfCycles()
                .check(MAIN);
    }

    @Test
    void layersImportDownwardOnly() {
        layeredArchitecture()
                .consideringOnlyDependenciesInLayers()
                .layer("api")
                .definedBy("io.tcpfleet.operator.api..")
                .layer("config")
                .definedBy("io.tcpfleet.operator.config..")
                .layer("model")
                .definedBy("io.tcpfleet.operator.model..")
                .layer("fleet")
                .definedBy("io.tcpfleet.operator.fleet..")
                .layer("dependent")
                .definedBy("io.tcpfleet.operator.dependent..")
                .layer("reconciler")
                .definedBy("io.tcpfleet.operator.reconciler..")
                .whereLayer("reconciler")
                .mayNotBeAccessedByAnyLayer()
                .whereLayer("dependent")
                .mayOnlyBeAccessedByLayers("reconciler")
                .whereLayer("fleet")
                .mayOnlyBeAccessedByLayers("dependent", "reconciler")
                .whereLayer("model")
                .mayOnlyBeAccessedByLayers("fleet", "dependent", "reconciler")
                .whereLayer("config")
                .mayOnlyBeAccessedByLayers("dependent", "reconciler")
                .check(MAIN);
    }
}
