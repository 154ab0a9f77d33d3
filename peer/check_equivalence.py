#!/usr/bin/env python3
"""Output equivalence of a UNet archive and its Python twin: the TorchScript module (what diffbench
runs through libtorch) and the twin, holding the same tensors, run on the same inputs; their
outputs must agree within the stated tolerance. Run for a tiny and a full-size archive:

  java -jar pipelines/target/diffbench.jar export --model sd15-unet --tiny --out /tmp/eq/tiny.pt
  java -jar pipelines/target/diffbench.jar export-python --model sd15-unet --tiny --out /tmp/eq/tiny.py
  python3 peer/check_equivalence.py --archive /tmp/eq/tiny.pt --twin /tmp/eq/tiny.py --size 8

fp16 tolerance: every element within atol + rtol * |reference| with atol = rtol = 1e-2 (fp16 has
about 3 decimal digits; the two sides run the same aten ops in the same order, so differences come
only from kernel choices, e.g. a fused kernel of the TorchScript executor). Exit 0 when within.

With --jvm-output FILE (a safetensors file that `diffbench forward` wrote from the --inputs-out file
this script writes) the JVM's own output is compared too (needs the safetensors package):

  java -jar pipelines/target/diffbench.jar forward --model sd15-unet --tiny --dtype fp16 --device gpu \
      --inputs /tmp/eq/in.safetensors --out /tmp/eq/jvm.safetensors
(same network, dtype, attention and seed as the archive: the JVM draws the same synthetic weights)."""
import argparse
import sys
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parent))
import networks  # noqa: E402


def find(state, suffix):
    for k, v in state.items():
        if k.endswith(suffix):
            return k, v
    return None, None


def unet_inputs(twin, batch, size, device):
    """Inputs for the UNet's forward, shaped from its own parameters (sample, timestep, encoder_hidden_states, extras)."""
    state = twin.state_dict()
    g = torch.Generator(device="cpu").manual_seed(0)
    in_channels = state["conv_in.weight"].shape[1]
    _, to_k = find(state, "attn2.to_k.weight")
    if to_k is None:
        raise SystemExit("this checker handles cross-attention UNets (sd15-unet, sdxl-unet, ...)")
    inputs = {
        "sample": torch.randn(batch, in_channels, size, size, generator=g),
        "timestep": torch.tensor(981, dtype=torch.int64),
        "encoder_hidden_states": torch.randn(batch, 77, to_k.shape[1], generator=g),
    }
    if "add_embedding.linear_1.weight" in state:
        time_dim = 2 * twin.add_time_proj.half_dim
        pooled = state["add_embedding.linear_1.weight"].shape[1] - 6 * time_dim
        # named as at the boundary (docs/engine-facts.md §5), so `diffbench forward` takes the same file
        inputs["added_cond_kwargs.text_embeds"] = torch.randn(batch, pooled, generator=g)
        inputs["added_cond_kwargs.time_ids"] = torch.tensor([[1024.0, 1024.0, 0, 0, 1024.0, 1024.0]]).repeat(batch, 1)
    return {k: v.to(device) for k, v in inputs.items()}


def compare(name, out, ref, atol, rtol):
    out, ref = out.float(), ref.float()
    diff = (out - ref).abs()
    bound = atol + rtol * ref.abs()
    ok = bool((diff <= bound).all()) and bool(torch.isfinite(out).all())
    print(f"{name}: max |diff| {diff.max().item():.3g}, mean |diff| {diff.mean().item():.3g}, "
          f"max |reference| {ref.abs().max().item():.3g}, worst diff/bound {(diff / bound).max().item():.3g} -> "
          + ("within" if ok else "OUTSIDE") + f" atol {atol} + rtol {rtol}")
    return ok


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--archive", required=True, type=Path)
    p.add_argument("--twin", required=True, type=Path)
    p.add_argument("--size", type=int, required=True, help="latent height and width (tiny: 8; sd15 64; sdxl 128)")
    p.add_argument("--batch", type=int, default=2)
    p.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu")
    p.add_argument("--seeded", action="store_true", help="the archive holds its values (export --seeded): no init_weights")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--atol", type=float, default=1e-2)
    p.add_argument("--rtol", type=float, default=1e-2)
    p.add_argument("--inputs-out", type=Path, help="also write the inputs as safetensors for `diffbench forward`")
    p.add_argument("--jvm-output", type=Path, help="safetensors output of `diffbench forward` on --inputs-out")
    a = p.parse_args()
    device = torch.device(a.device)
    with torch.inference_mode():
        scripted = networks.load_archive(a.archive, device, a.seed, synthetic=not a.seeded)
        twin = networks.twin_from_archive(a.twin, scripted)
        inputs = unet_inputs(twin, a.batch, a.size, device)
        args = list(inputs.values())
        reference = scripted(*args)
        out = twin(*args)
        ok = compare("twin vs TorchScript", out, reference, a.atol, a.rtol)
        if a.inputs_out:
            from safetensors.torch import save_file
            save_file({k: v.contiguous().cpu() for k, v in inputs.items()}, str(a.inputs_out))
            print(f"inputs written to {a.inputs_out}")
        if a.jvm_output:
            from safetensors.torch import load_file
            jvm = load_file(str(a.jvm_output))
            ok &= compare("JVM vs twin", jvm["sample"].to(device), out, a.atol, a.rtol)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
