package diffbench.pipeline;

import ai.djl.ndarray.NDArray;
import diffbench.pipeline.images.ImageTensors;

import java.nio.file.Path;

/** Where a pipeline's output images go (before their arrays are freed at the end of the call). */
@FunctionalInterface
public interface ImageSink {

    /** @param images (B, 3, H, W) in [-1, 1], fp32, on the device */
    void accept(String name, NDArray images);

    /** Drops the images (benchmark runs). */
    ImageSink NONE = (name, images) -> { };

    /** Writes each image as {@code <name>-<i>.png} into {@code dir}. */
    static ImageSink pngs(Path dir) {
        return (name, images) -> ImageTensors.savePngs(images, dir, name);
    }
}
