package diffbench.cli;

import diffbench.models.catalog.NetworkCatalog;
import diffbench.nn.AttentionKernel;
import diffbench.nn.Layer;
import diffbench.torchscript.StorageType;
import picocli.CommandLine.Option;

/** How the export commands build a network: size, weight type, attention kernel (a picocli mixin). */
final class BuildOptions {

    @Option(names = "--tiny", description = "the test-size config of the same structure")
    boolean tiny;

    @Option(names = "--dtype", paramLabel = "fp16|bf16|fp32", defaultValue = "fp16", description = "weight type (default: ${DEFAULT-VALUE})")
    String dtype;

    @Option(names = "--attention", paramLabel = "sdpa|math", defaultValue = "sdpa",
            description = "attention kernel: scaled_dot_product_attention or matmul-softmax-matmul (default: ${DEFAULT-VALUE})")
    String attention;

    StorageType type() {
        return Dtypes.parse(dtype);
    }

    AttentionKernel kernel() {
        return AttentionKernel.fromName(attention);
    }

    /** The catalog network at the chosen size. */
    Layer build(NetworkCatalog.Entry<?> entry) {
        return entry.build(kernel(), tiny);
    }
}
