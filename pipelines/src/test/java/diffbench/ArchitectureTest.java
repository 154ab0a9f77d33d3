package diffbench;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import diffbench.nn.Layer;
import diffbench.nn.UsesWeightsFixture;
import diffbench.schema.Mode;
import diffbench.weights.UsesLayerFixture;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The package arrows of docs/design.md §1 plus {@code schema}, and no package cycles, over the classes of
 * {@code schema} and {@code pipelines} (jmh and reports are one package each; Maven keeps their
 * module arrows: jmh -> pipelines -> schema, reports -> schema).
 */
class ArchitectureTest {

    /** Every package its own slice, so a cycle between a package and its sub-package counts too. */
    static final ArchRule NO_CYCLES = slices().matching("diffbench.(**)").should().beFreeOfCycles();

    /**
     * Bottom up: the cell's vocabulary; TorchScript writing; building blocks; weights for them;
     * architectures (models' own base package holds ConfigReader, which the schedulers read their
     * configs with); schedulers; the Python twins of networks (peer), which the compiled mode
     * compiles (runtime); the pipelines; the command line.
     */
    static final ArchRule ARROWS = layeredArchitecture().consideringOnlyDependenciesInLayers()
            .withOptionalLayers(true)
            .layer("schema").definedBy("diffbench.schema..")
            .layer("torchscript").definedBy("diffbench.torchscript..")
            .layer("nn").definedBy("diffbench.nn..")
            .layer("weights").definedBy("diffbench.weights..")
            .layer("models").definedBy("diffbench.models..")
            .layer("schedulers").definedBy("diffbench.schedulers..")
            .layer("peer").definedBy("diffbench.peer..")
            .layer("runtime").definedBy("diffbench.runtime..")
            .layer("pipeline").definedBy("diffbench.pipeline..")
            .layer("cli").definedBy("diffbench.cli..")
            .whereLayer("schema").mayNotAccessAnyLayer()
            .whereLayer("torchscript").mayOnlyAccessLayers("schema")
            .whereLayer("nn").mayOnlyAccessLayers("torchscript", "schema")
            .whereLayer("weights").mayOnlyAccessLayers("nn", "torchscript", "schema")
            .whereLayer("models").mayOnlyAccessLayers("nn", "torchscript", "schema")
            .whereLayer("schedulers").mayOnlyAccessLayers("models", "torchscript", "schema")
            .whereLayer("peer").mayOnlyAccessLayers("models", "weights", "nn", "torchscript", "schema")
            .whereLayer("runtime").mayOnlyAccessLayers("peer", "models", "weights", "nn", "torchscript", "schema")
            .whereLayer("pipeline").mayOnlyAccessLayers("runtime", "peer", "schedulers", "models", "weights", "nn",
                    "torchscript", "schema")
            .whereLayer("cli").mayOnlyAccessLayers("pipeline", "runtime", "peer", "schedulers", "models", "weights",
                    "nn", "torchscript", "schema");

    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("diffbench");

    @Test
    void packagesFormNoCycle() {
        assertTrue(MAIN.contain(Layer.class) && MAIN.contain(Mode.class) && !MAIN.contain(UsesWeightsFixture.class));
        NO_CYCLES.check(MAIN);
    }

    @Test
    void packagesDependOnlyDownwards() {
        ARROWS.check(MAIN);
    }

    /** The rules catch what they are for: nn -> weights -> nn, as before WeightSource moved into nn. */
    @Test
    void anUpwardDependencyAndItsCycleAreCaught() {
        JavaClasses cycle = new ClassFileImporter().importClasses(UsesWeightsFixture.class, UsesLayerFixture.class, Layer.class);
        EvaluationResult cycles = NO_CYCLES.evaluate(cycle);
        assertTrue(cycles.hasViolation());
        assertTrue(cycles.getFailureReport().toString().contains("nn"), cycles.getFailureReport().toString());
        EvaluationResult arrows = ARROWS.evaluate(cycle);
        assertTrue(arrows.hasViolation());
        assertTrue(arrows.getFailureReport().toString().contains("UsesWeightsFixture"), arrows.getFailureReport().toString());
    }
}
