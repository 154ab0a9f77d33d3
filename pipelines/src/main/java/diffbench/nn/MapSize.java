package diffbench.nn;

import diffbench.torchscript.code.Body;
import diffbench.torchscript.code.Expr;
import diffbench.torchscript.code.Expr.Var;

import java.util.List;

import static diffbench.torchscript.code.Torch.list;
import static diffbench.torchscript.code.Torch.mul;
import static diffbench.torchscript.code.Torch.reshape;
import static diffbench.torchscript.code.Torch.size;
import static diffbench.torchscript.code.Torch.transpose;

/**
 * The sizes of an NCHW feature map, unpacked into variables of a method body, for the layers that
 * attend over its H·W positions and turn the result back into a map.
 */
record MapSize(Var batch, Var channels, Var height, Var width) {

    /** {@code <batch>, c, hh, ww, = torch.size(map)}. */
    static MapSize of(Body body, Expr map, String batchName) {
        List<Var> v = body.unpack(size(map), batchName, "c", "hh", "ww");
        return new MapSize(v.get(0), v.get(1), v.get(2), v.get(3));
    }

    /** The map's positions as (batch, H·W tokens, channels), through a (batch, channels, H·W) view. */
    Expr tokens(Expr map) {
        return transpose(reshape(map, list(batch, channels, mul(height, width))), 1, 2);
    }

    /** (batch, H·W tokens, channels) back to the NCHW map. */
    Expr map(Expr tokens) {
        return reshape(transpose(tokens, 1, 2), list(batch, channels, height, width));
    }
}
