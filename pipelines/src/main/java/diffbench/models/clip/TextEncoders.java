package diffbench.models.clip;

import diffbench.models.ConfigReader;
import diffbench.nn.AttentionKernel;

import java.nio.file.Path;

/** The text encoders of the benchmarked pipelines, their tiny versions, and any CLIP text config.json. */
public final class TextEncoders {
    /** Tokens per prompt in every pipeline here. */
    public static final int TOKENS = 77;

    private TextEncoders() {
    }

    /** CLIP ViT-L/14 (123,060,480 parameters): SD 1.5's text_encoder and SDXL's text_encoder. */
    public static CLIPTextModel clipL(AttentionKernel kernel) {
        return new CLIPTextModel(CLIPTextConfig.clipL(), kernel);
    }

    /** OpenCLIP bigG with projection (694,659,840): SDXL's text_encoder_2. */
    public static CLIPTextModel openClipBigG(AttentionKernel kernel) {
        return new CLIPTextModel(CLIPTextConfig.openClipBigG(), kernel);
    }

    /** OpenCLIP ViT-H, 23 layers (340,387,840): the x4 upscaler's text_encoder. */
    public static CLIPTextModel openClipH23(AttentionKernel kernel) {
        return new CLIPTextModel(CLIPTextConfig.openClipH23(), kernel);
    }

    public static CLIPTextModel tiny(CLIPTextConfig full, AttentionKernel kernel) {
        return new CLIPTextModel(full.tiny(), kernel);
    }

    /** A text encoder from a transformers config.json; unknown keys are kept on the result. */
    public static CLIPTextModel fromConfig(Path configJson, AttentionKernel kernel) {
        ConfigReader.Parsed<CLIPTextConfig> p = CLIPTextConfig.read(configJson);
        return new CLIPTextModel(p.config(), kernel, p.unknownKeys());
    }
}
