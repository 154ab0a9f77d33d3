#!/usr/bin/env python3
"""diffusers' own networks against `diffbench forward` for configs the benchmarks do not use: the
tiny UNet configs of every kind (SD 1.5, inpainting, SDXL, IF stages I and II, x4 upscaler), the
tiny ControlNet and a three-level VAE, each at the given norm_num_groups, built by diffusers with
random weights, saved as a diffusers component folder and run by both on the same inputs. Needs
diffusers and safetensors besides torch (unlike the rest of peer/). Exit 0 when every output is
within tolerance.

  mvn -q -pl pipelines -am package -DskipTests
  python3 peer/check_configs.py --jar pipelines/target/diffbench.jar --groups 8 16 32
"""
import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

import torch
from safetensors.torch import load_file, save_file

import diffusers
from diffusers import AutoencoderKL, ControlNetModel, UNet2DConditionModel

CONFIGS = Path(__file__).resolve().parent.parent / "pipelines/src/main/resources/diffbench/models"
# tiny UNet config: sample shape, text tokens, text width, extra inputs
UNETS = {
    "sd15-tiny": ((2, 4, 8, 8), 7, 32, ()),
    "inpaint-tiny": ((2, 9, 8, 8), 7, 32, ()),
    "sdxl-tiny": ((2, 4, 8, 8), 7, 64, ("added_cond_kwargs",)),
    "if_i_m-tiny": ((2, 3, 8, 8), 5, 32, ()),
    "if_ii_m-tiny": ((2, 6, 8, 8), 5, 32, ("class_labels",)),
    "x4-tiny": ((2, 7, 8, 8), 7, 32, ("class_labels",)),
}


class Checker:
    def __init__(self, jar, work, tolerance):
        self.jar, self.work, self.tolerance = jar, work, tolerance
        self.ok = True
        self.g = torch.Generator().manual_seed(0)

    def randn(self, *shape):
        return torch.randn(*shape, generator=self.g)

    def folder(self, name, model, config):
        """A diffusers component folder: config.json and the model's (randomised) weights."""
        folder = self.work / name
        folder.mkdir()
        torch.manual_seed(1)
        with torch.no_grad():
            for p in model.parameters():
                p.copy_(torch.randn_like(p) * 0.1)
        (folder / "config.json").write_text(json.dumps(dict(config, _class_name=type(model).__name__)))
        save_file({k: v.contiguous() for k, v in model.state_dict().items()}, str(folder / "diffusion_pytorch_model.safetensors"))
        return folder

    def compare(self, what, folder, inputs, ref):
        save_file(inputs, str(folder / "in.safetensors"))
        run = subprocess.run(["java", "-jar", str(self.jar), "forward", "--model-dir", str(folder),
                              "--inputs", str(folder / "in.safetensors"), "--out", str(folder / "out.safetensors"),
                              "--cache", str(self.work / "cache")], capture_output=True, text=True)
        if run.returncode != 0:
            print(f"FAIL {what}: diffbench exited {run.returncode}: {run.stderr.strip().splitlines()[-1:]}")
            self.ok = False
            return
        out = load_file(str(folder / "out.safetensors"))
        worst = max((out[k].double() - v.double()).abs().max().item() / max(1.0, v.double().abs().max().item())
                    for k, v in ref.items())
        good = worst <= self.tolerance and set(out) == set(ref)
        self.ok &= good
        print(("ok  " if good else "FAIL") + f" {what}: max relative difference {worst:.2e}")

    def unet(self, name, groups):
        shape, tokens, width, extra = UNETS[name]
        config = json.loads((CONFIGS / "unet" / f"{name}.json").read_text())
        config.pop("_comment", None)
        config["norm_num_groups"] = groups
        model = UNet2DConditionModel.from_config(config).eval()
        folder = self.folder(f"{name}-{groups}", model, config)
        inputs = {"sample": self.randn(*shape), "timestep": torch.tensor(981),
                  "encoder_hidden_states": self.randn(shape[0], tokens, width)}
        kwargs = {}
        if "added_cond_kwargs" in extra:
            inputs["added_cond_kwargs.text_embeds"] = self.randn(shape[0], 16)
            inputs["added_cond_kwargs.time_ids"] = torch.tensor([[64.0, 64, 0, 0, 64, 64]] * shape[0])
            kwargs["added_cond_kwargs"] = {"text_embeds": inputs["added_cond_kwargs.text_embeds"],
                                           "time_ids": inputs["added_cond_kwargs.time_ids"]}
        if "class_labels" in extra:
            inputs["class_labels"] = kwargs["class_labels"] = torch.tensor([100, 250])
        with torch.no_grad():
            ref = model(inputs["sample"], inputs["timestep"], inputs["encoder_hidden_states"], **kwargs).sample
        self.compare(f"UNet2DConditionModel {name}, norm_num_groups {groups}", folder, inputs, {"sample": ref})

    def controlnet(self, groups):
        config = json.loads((CONFIGS / "controlnet" / "canny-tiny.json").read_text())
        config.pop("_comment", None)
        config["norm_num_groups"] = groups
        model = ControlNetModel.from_config(config).eval()
        folder = self.folder(f"controlnet-{groups}", model, config)
        inputs = {"sample": self.randn(2, 4, 8, 8), "timestep": torch.tensor(981),
                  "encoder_hidden_states": self.randn(2, 7, 32),
                  "controlnet_cond": torch.rand(2, 3, 64, 64, generator=self.g), "conditioning_scale": torch.tensor(1.0)}
        with torch.no_grad():
            down, mid = model(inputs["sample"], inputs["timestep"], inputs["encoder_hidden_states"],
                              inputs["controlnet_cond"], conditioning_scale=1.0, return_dict=False)
        ref = {f"down_block_res_samples.{i}": t for i, t in enumerate(down)}
        ref["mid_block_res_sample"] = mid
        self.compare(f"ControlNetModel canny-tiny, norm_num_groups {groups}", folder, inputs, ref)

    def vae(self, groups):
        config = {"down_block_types": ["DownEncoderBlock2D"] * 3, "up_block_types": ["UpDecoderBlock2D"] * 3,
                  "block_out_channels": [32, 32, 64], "layers_per_block": 1, "latent_channels": 4,
                  "norm_num_groups": groups}
        model = AutoencoderKL.from_config(config).eval()
        folder = self.folder(f"vae-{groups}", model, config)
        x = torch.rand(2, 3, 16, 16, generator=self.g) * 2 - 1
        z = self.randn(2, 4, 4, 4)
        with torch.no_grad():
            dist = model.encode(x).latent_dist
            decoded = model.decode(z).sample
        self.compare(f"AutoencoderKL encode, norm_num_groups {groups}", folder, {"sample": x},
                     {"latent_dist.mean": dist.mean, "latent_dist.logvar": dist.logvar})
        self.compare(f"AutoencoderKL decode, norm_num_groups {groups}", folder, {"z": z}, {"sample": decoded})


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--jar", default="pipelines/target/diffbench.jar")
    p.add_argument("--groups", type=int, nargs="+", default=[8, 16, 32])
    p.add_argument("--tolerance", type=float, default=1e-4, help="relative to max(1, |diffusers' value|)")
    a = p.parse_args()
    print(f"diffusers {diffusers.__version__}, torch {torch.__version__}")
    with tempfile.TemporaryDirectory() as tmp:
        checker = Checker(Path(a.jar).resolve(), Path(tmp), a.tolerance)
        for groups in a.groups:
            for name in UNETS:
                checker.unet(name, groups)
            checker.controlnet(groups)
            checker.vae(groups)
    sys.exit(0 if checker.ok else 1)


if __name__ == "__main__":
    main()
