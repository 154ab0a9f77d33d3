package diffbench.nn;

import diffbench.torchscript.StorageType;
import diffbench.torchscript.TensorRef;

/** Supplies the tensor of each parameter while a network is emitted as an archive. */
@FunctionalInterface
public interface WeightSource {

    /**
     * @param name the parameter's full state_dict name ({@code down_blocks.0.resnets.0.conv1.weight})
     * @param shape its shape
     * @param init how it is initialised when the source makes it up
     * @param type the storage type of the archive
     */
    TensorRef tensor(String name, long[] shape, Init init, StorageType type);
}
