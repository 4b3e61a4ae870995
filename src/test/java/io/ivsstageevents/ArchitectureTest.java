package io.ivsstageevents;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;

/**
 * The floors of docs/ARCHITECTURE.md, as rules on every class of the function, the top-level ones included: the
 * handlers on top; the reconciler under them; the path of one event under both; parsing, storage, metrics and the
 * IVS API client side by side under it, none reaching into another; json and the time budget, the shared shelf;
 * the model at the bottom. Every class is on a floor (a new package must be given one), nothing below reaches up,
 * no two packages import each other, and nothing calls a handler.
 */
@AnalyzeClasses(packages = "io.ivsstageevents", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
    private static final String TOP = "io.ivsstageevents";

    @ArchTest
    static final ArchRule everyArrowPointsDown = layeredArchitecture().consideringOnlyDependenciesInLayers()
            .ensureAllClassesAreContainedInArchitecture()
            .layer("Handlers").definedBy(TOP)
            .layer("Reconciler").definedBy(TOP + ".reconciler..")
            .layer("Path").definedBy(TOP + ".path..")
            .layer("Parsing").definedBy(TOP + ".parsing..")
            .layer("Storage").definedBy(TOP + ".storage..")
            .layer("Metrics").definedBy(TOP + ".metrics..")
            .layer("IvsApi").definedBy(TOP + ".ivsapi..")
            .layer("Json").definedBy(TOP + ".json..")
            .layer("Time").definedBy(TOP + ".time..")
            .layer("Model").definedBy(TOP + ".model..")
            .whereLayer("Handlers").mayNotBeAccessedByAnyLayer()
            .whereLayer("Reconciler").mayOnlyBeAccessedByLayers("Handlers")
            .whereLayer("Path").mayOnlyBeAccessedByLayers("Handlers", "Reconciler")
            .whereLayer("Parsing").mayOnlyBeAccessedByLayers("Handlers", "Reconciler", "Path")
            .whereLayer("Storage").mayOnlyBeAccessedByLayers("Handlers", "Reconciler", "Path")
            .whereLayer("Metrics").mayOnlyBeAccessedByLayers("Handlers", "Reconciler", "Path")
            .whereLayer("IvsApi").mayOnlyBeAccessedByLayers("Handlers", "Reconciler")
            .whereLayer("Json").mayOnlyBeAccessedByLayers("Handlers", "Reconciler", "Path", "Parsing", "Storage",
                    "Metrics", "IvsApi")
            .whereLayer("Time").mayOnlyBeAccessedByLayers("Handlers", "Reconciler", "Path", "Storage")
            .whereLayer("Model").mayOnlyBeAccessedByLayers("Handlers", "Reconciler", "Path", "Parsing", "Storage",
                    "Metrics", "IvsApi", "Json");

    /** The model is the seed's types and nothing else: no library, no package of ours. */
    @ArchTest
    static final ArchRule theModelDependsOnTheJdkAlone = noClasses().that().resideInAPackage(TOP + ".model..")
            .should().dependOnClassesThat().resideOutsideOfPackages(TOP + ".model..", "java..");

    /** Each package a slice, the top-level one too: none depends on another that depends back on it. */
    @ArchTest
    static final ArchRule noPackageCycles = slices().assignedFrom(new SliceAssignment() {
        @Override
        public SliceIdentifier getIdentifierOf(JavaClass javaClass) {
            String name = javaClass.getPackageName();
            return name.equals(TOP) || name.startsWith(TOP + ".")
                    ? SliceIdentifier.of(name.equals(TOP) ? "(top level)" : name.substring(TOP.length() + 1))
                    : SliceIdentifier.ignore();
        }

        @Override
        public String getDescription() {
            return "the function's packages, the top-level one included";
        }
    }).should().beFreeOfCycles();

    /** A handler is what Lambda calls; the code it runs, however near, never calls back into it. */
    @ArchTest
    static final ArchRule nothingCallsAHandler = noClasses().that().resideInAPackage(TOP + "..")
            .and().doNotImplement(RequestStreamHandler.class)
            .and(notNestedInAHandler())
            .should().dependOnClassesThat().implement(RequestStreamHandler.class);

    private static DescribedPredicate<JavaClass> notNestedInAHandler() {
        return DescribedPredicate.describe("are not nested in a handler",
                javaClass -> javaClass.getEnclosingClass()
                        .map(outer -> !outer.isAssignableTo(RequestStreamHandler.class)).orElse(true));
    }
}
