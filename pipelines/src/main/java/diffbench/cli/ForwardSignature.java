package diffbench.cli;

import diffbench.models.clip.CLIPTextModel;
import diffbench.models.controlnet.ControlNetModel;
import diffbench.models.unet.UNet2DConditionModel;
import diffbench.models.vae.AutoencoderKL;
import diffbench.nn.Layer;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * How one archive method is called with named tensors (docs/engine-facts.md §5): the method, its argument names
 * in order, and its output names in order. A {@code listArgument} is a {@code List[Tensor]}
 * argument passed as {@code name.0 .. name.(listLength-1)}, placed before {@code afterList}.
 */
record ForwardSignature(String method, List<String> arguments, String listArgument, int listLength,
                        List<String> afterList, List<String> outputs) {

    static final String DOWN_RESIDUALS = "down_block_additional_residuals";
    static final String MID_RESIDUAL = "mid_block_additional_residual";

    /** Every input name the signature takes, in call order. */
    List<String> inputNames() {
        List<String> names = new ArrayList<>(arguments);
        for (int i = 0; i < listLength; i++) {
            names.add(listArgument + "." + i);
        }
        names.addAll(afterList);
        return names;
    }

    /**
     * The signature of {@code network} for the inputs a file holds: a UNet given ControlNet residuals
     * runs {@code forward_with_control}; a VAE runs {@code method} (encode or decode), or, when that
     * is null, the method whose input the file holds ({@code sample} → encode, {@code z} → decode).
     */
    static ForwardSignature of(Layer network, Set<String> given, String method) {
        if (network instanceof AutoencoderKL) {
            String m = method != null ? method : given.contains("z") ? "decode" : given.contains("sample") ? "encode" : null;
            if (m == null) {
                throw new IllegalArgumentException("an AutoencoderKL takes 'sample' (encode) or 'z' (decode); the inputs hold "
                        + new TreeSet<>(given));
            }
            return switch (m) {
                case "encode" -> new ForwardSignature("encode", List.of("sample"), null, 0, List.of(),
                        List.of("latent_dist.mean", "latent_dist.logvar"));
                case "decode" -> new ForwardSignature("decode", List.of("z"), null, 0, List.of(), List.of("sample"));
                default -> throw new IllegalArgumentException("unknown --method '" + m + "': an AutoencoderKL has encode and decode");
            };
        }
        if (method != null) {
            throw new IllegalArgumentException("--method is for AutoencoderKL (encode|decode); "
                    + network.className() + " has one method, forward");
        }
        if (network instanceof UNet2DConditionModel unet) {
            List<String> args = boundaryNames(unet.forwardArgumentNames());
            boolean control = given.contains(MID_RESIDUAL) || given.stream().anyMatch(n -> n.startsWith(DOWN_RESIDUALS + "."));
            if (!control) {
                return new ForwardSignature("forward", args, null, 0, List.of(), List.of("sample"));
            }
            if (!unet.acceptsControl()) {
                throw new IllegalArgumentException("this UNet has no cross-attention down blocks and takes no ControlNet residuals");
            }
            long size = 1L << unet.config().blocks();
            int skips = unet.skipShapes(new long[] {1, unet.config().inChannels(), size, size}).size();
            return new ForwardSignature("forward_with_control", args, DOWN_RESIDUALS, skips, List.of(MID_RESIDUAL),
                    List.of("sample"));
        }
        if (network instanceof ControlNetModel controlNet) {
            return new ForwardSignature("forward", boundaryNames(controlNet.forwardArgumentNames()), null, 0, List.of(),
                    controlNet.outputNames());
        }
        if (network instanceof CLIPTextModel clip) {
            return new ForwardSignature("forward", List.of("input_ids"), null, 0, List.of(), clip.outputNames());
        }
        throw new IllegalArgumentException("no named-input signature for " + network.className());
    }

    /** diffusers' added_cond_kwargs entries are flattened to positional arguments in the archive. */
    private static List<String> boundaryNames(List<String> archiveArguments) {
        return archiveArguments.stream()
                .map(a -> a.equals("text_embeds") || a.equals("time_ids") ? "added_cond_kwargs." + a : a).toList();
    }
}
