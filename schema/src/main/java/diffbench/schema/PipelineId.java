package diffbench.schema;

import java.util.List;

/** The six benchmarked pipelines, with the ids used on the command line, in CSV rows and in reports. */
public enum PipelineId implements CellTerm {
    SD_TXT2IMG("sd-txt2img"),
    SD_IMG2IMG("sd-img2img"),
    SD_INPAINT("sd-inpaint"),
    SD_CONTROLNET("sd-controlnet"),
    IF("if"),
    SDXL_TXT2IMG("sdxl-txt2img");

    private final String id;

    PipelineId(String id) {
        this.id = id;
    }

    @Override
    public String id() {
        return id;
    }

    /** The denoising stages a finished cell writes one row each for: IF's I, II and III; "" for the others. */
    public List<String> stages() {
        return this == IF ? List.of("I", "II", "III") : List.of("");
    }

    /** Parses an id, naming the valid ones when it is unknown. */
    public static PipelineId fromId(String id) {
        return CellTerm.fromId(PipelineId.class, "pipeline", id);
    }

    @Override
    public String toString() {
        return id;
    }
}
