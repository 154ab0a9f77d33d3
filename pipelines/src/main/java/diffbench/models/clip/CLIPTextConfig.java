package diffbench.models.clip;

import diffbench.models.ConfigReader;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * transformers' {@code CLIPTextConfig} (a text encoder's config.json). Missing keys take
 * transformers' defaults. {@code architectures} decides the model class: {@code CLIPTextModel}
 * (pooled output) or {@code CLIPTextModelWithProjection} (adds {@code text_projection}).
 * {@code eos_token_id} decides where the pooled state is taken (see {@link #poolsAtArgmax()}).
 */
public record CLIPTextConfig(
        List<String> architectures,
        String modelType,
        int vocabSize,
        int hiddenSize,
        int intermediateSize,
        int projectionDim,
        int numHiddenLayers,
        int numAttentionHeads,
        int maxPositionEmbeddings,
        String hiddenAct,
        double layerNormEps,
        int eosTokenId) {

    public static final String TEXT_MODEL = "CLIPTextModel";
    public static final String WITH_PROJECTION = "CLIPTextModelWithProjection";

    static final String DEFAULTS = """
            {"architectures": ["CLIPTextModel"], "model_type": "clip_text_model", "vocab_size": 49408,
             "hidden_size": 512, "intermediate_size": 2048, "projection_dim": 512, "num_hidden_layers": 12,
             "num_attention_heads": 8, "max_position_embeddings": 77, "hidden_act": "quick_gelu",
             "layer_norm_eps": 1e-5, "eos_token_id": 49407}""";

    /** Keys transformers writes that describe no part of the inference module. */
    static final Set<String> INERT = Set.of("_name_or_path", "transformers_version", "torch_dtype", "attention_dropout",
            "dropout", "initializer_range", "initializer_factor", "pad_token_id", "bos_token_id");

    public CLIPTextConfig {
        architectures = List.copyOf(architectures);
        if (architectures.size() != 1 || !(architectures.get(0).equals(TEXT_MODEL) || architectures.get(0).equals(WITH_PROJECTION))) {
            throw new IllegalArgumentException("unsupported architectures value " + architectures + ": use [\"" + TEXT_MODEL
                    + "\"] or [\"" + WITH_PROJECTION + "\"]");
        }
        if (!modelType.equals("clip_text_model")) {
            throw new IllegalArgumentException("unsupported model_type value '" + modelType + "': a text encoder's config has "
                    + "clip_text_model");
        }
        HiddenAct.fromConfig(hiddenAct);
        if (hiddenSize % numAttentionHeads != 0) {
            throw new IllegalArgumentException("hidden_size " + hiddenSize + " does not split into num_attention_heads "
                    + numAttentionHeads);
        }
    }

    public boolean withProjection() {
        return architectures.get(0).equals(WITH_PROJECTION);
    }

    public HiddenAct activation() {
        return HiddenAct.fromConfig(hiddenAct);
    }

    /**
     * The pooled state sits at the end-of-text token. Configs of the original checkpoints say
     * eos_token_id 2, which is not the tokenizer's: transformers then takes argmax(input_ids) (the
     * end-of-text id 49407 is the largest); otherwise the first position holding eos_token_id.
     */
    public boolean poolsAtArgmax() {
        return eosTokenId == 2;
    }

    public static ConfigReader.Parsed<CLIPTextConfig> read(Path configJson) {
        return ConfigReader.read(configJson, CLIPTextConfig::parse);
    }

    /** The record from the reader's keys (every key is one component). */
    public static CLIPTextConfig parse(ConfigReader r) {
        return r.bind(CLIPTextConfig.class, DEFAULTS, INERT);
    }

    public static ConfigReader.Parsed<CLIPTextConfig> parse(String json, String source) {
        return new ConfigReader(json, source).parse(CLIPTextConfig::parse);
    }

    /** CLIP ViT-L/14's text tower: SD 1.5's text_encoder and SDXL's first. */
    public static CLIPTextConfig clipL() {
        return bundled("clip_L");
    }

    /** OpenCLIP ViT-bigG/14 with projection: SDXL's text_encoder_2. */
    public static CLIPTextConfig openClipBigG() {
        return bundled("openclip_bigG");
    }

    /** OpenCLIP ViT-H/14 cut to 23 layers: the x4 upscaler's (SD 2.x's) text_encoder. */
    public static CLIPTextConfig openClipH23() {
        return bundled("openclip_H23");
    }

    private static CLIPTextConfig bundled(String name) {
        return ConfigReader.builtIn("/diffbench/models/clip/" + name + ".json", CLIPTextConfig::parse);
    }

    /** The same structure (class, activation, pooling, 77 positions, the real vocabulary so real token ids work) at test size: width 32, 2 heads, 2 layers. */
    public CLIPTextConfig tiny() {
        return new CLIPTextConfig(architectures, modelType, vocabSize, 32, 64, 16, 2, 2, maxPositionEmbeddings, hiddenAct,
                layerNormEps, eosTokenId);
    }
}
