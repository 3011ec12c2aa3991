package dev.exitrl.core;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** exit-core's feature packages depend on each other in one direction only. */
class PackageCyclesTest {

    @Test
    void featurePackagesAreFreeOfCycles() {
        JavaClasses core = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.exitrl.core");
        slices().matching("dev.exitrl.core.(*)..").should().beFreeOfCycles().check(core);
    }
}
