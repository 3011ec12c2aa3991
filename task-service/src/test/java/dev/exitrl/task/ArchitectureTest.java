package dev.exitrl.task;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.web.bind.annotation.RestController;

/** The task-service's package rules, checked on its compiled classes. */
class ArchitectureTest {
    static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.exitrl.task");
    }

    @Test
    void theTaskSpaceNeverLoadsTheModelOrCallsTheWorkers() {
        noClasses()
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("dev.exitrl.policy..", "ai.djl..", "dev.exitrl.rollout..", "dev.exitrl.trainer..")
                .check(classes);
    }

    @Test
    void controllersArePackagePrivateAndServeTheTaskApiContract() {
        classes()
                .that()
                .areAnnotatedWith(RestController.class)
                .should()
                .notBePublic()
                .andShould()
                .implement(DescribedPredicate.describe(
                        "an interface of dev.exitrl.taskapi",
                        (JavaClass c) -> c.getPackageName().equals("dev.exitrl.taskapi")))
                .check(classes);
    }

    @Test
    void sharedInfrastructureDoesNotDependOnFeatures() {
        noClasses()
                .that()
                .resideInAnyPackage("dev.exitrl.task.space..", "dev.exitrl.task.web..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "dev.exitrl.task.lease..",
                        "dev.exitrl.task.group..",
                        "dev.exitrl.task.training..",
                        "dev.exitrl.task.evaluation..",
                        "dev.exitrl.task.buffer..",
                        "dev.exitrl.task.basetask..",
                        "dev.exitrl.task.experiment..")
                .check(classes);
    }

    @Test
    void featuresDoNotReachIntoEachOthersControllers() {
        noClasses()
                .that()
                .areNotAnnotatedWith(RestController.class)
                .should()
                .dependOnClassesThat()
                .areAnnotatedWith(RestController.class)
                .check(classes);
    }
}
