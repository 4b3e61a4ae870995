package io.ivsstageevents;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The floors of docs/ARCHITECTURE.md, as rules on the function's classes: model at the bottom; json, the shared
 * wire helpers, on it; parsing, storage and metrics side by side above, none reaching into another; the handler,
 * priming and the reconciliation's API client on top, and nothing below them reaching up.
 */
@AnalyzeClasses(packages = "io.ivsstageevents", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule everyArrowPointsDown = layeredArchitecture().consideringOnlyDependenciesInLayers()
            .layer("Function").definedBy("io.ivsstageevents", "io.ivsstageevents.reconciliation..")
            .layer("Parsing").definedBy("io.ivsstageevents.parsing..")
            .layer("Storage").definedBy("io.ivsstageevents.storage..")
            .layer("Metrics").definedBy("io.ivsstageevents.metrics..")
            .layer("Json").definedBy("io.ivsstageevents.json..")
            .layer("Model").definedBy("io.ivsstageevents.model..")
            .whereLayer("Function").mayNotBeAccessedByAnyLayer()
            .whereLayer("Parsing").mayOnlyBeAccessedByLayers("Function")
            .whereLayer("Storage").mayOnlyBeAccessedByLayers("Function")
            .whereLayer("Metrics").mayOnlyBeAccessedByLayers("Function")
            .whereLayer("Json").mayOnlyBeAccessedByLayers("Parsing", "Storage", "Metrics", "Function")
            .whereLayer("Model").mayOnlyBeAccessedByLayers("Json", "Parsing", "Storage", "Metrics", "Function");

    /** The model is the seed's types and nothing else: no library, no package of ours. */
    @ArchTest
    static final ArchRule theModelDependsOnTheJdkAlone = noClasses().that().resideInAPackage("io.ivsstageevents.model..")
            .should().dependOnClassesThat().resideOutsideOfPackages("io.ivsstageevents.model..", "java..");

    @ArchTest
    static final ArchRule noPackageCycles = slices().matching("io.ivsstageevents.(*)..").should().beFreeOfCycles();
}
