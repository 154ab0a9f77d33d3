#!/usr/bin/env python3
"""The project's schedulers against diffusers' own, step by step: for each scheduler config given
(default: the pipelines' own, pipelines/src/main/resources/diffbench/schedulers/), the same random
sample, model outputs and DDPM noise go through diffusers (the protocol of docs/networks.md) and
through `diffbench schedule`; every tensor of the trajectory is compared. Needs diffusers and
safetensors besides torch (unlike the rest of peer/). Exit 0 when every case is within tolerance.

  mvn -q -pl pipelines -am package -DskipTests
  python3 peer/check_schedulers.py --jar pipelines/target/diffbench.jar
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
import diffusers.schedulers.scheduling_ddpm as scheduling_ddpm
from diffusers import DDIMScheduler, DDPMScheduler, EulerDiscreteScheduler, PNDMScheduler

CLASSES = {c.__name__: c for c in (PNDMScheduler, DDIMScheduler, EulerDiscreteScheduler, DDPMScheduler)}
CONFIGS = Path(__file__).resolve().parent.parent / "pipelines/src/main/resources/diffbench/schedulers"
# config file: (steps, [(calls, first, strength)], sample channels, model output channels)
CASES = {
    "sd15-pndm.json": (50, [(8, 0, None), (3, 0, 0.8), (2, 49, None)], 4, 4),
    "sd-inpainting-ddim.json": (50, [(5, 0, None), (1, 49, None)], 4, 4),
    "x4-upscaler-ddim.json": (75, [(4, 0, None)], 4, 4),
    "sdxl-euler.json": (50, [(5, 0, None), (2, 48, None), (3, 0, 0.3)], 4, 4),
    "if-stage1-ddpm.json": (100, [(4, 0, None), (2, 98, None)], 3, 6),
    "if-stage2-ddpm.json": (50, [(3, 0, None)], 3, 6),
}


def diffusers_trajectory(config, inputs, steps, calls, first, strength):
    scheduler = CLASSES[config["_class_name"]].from_config(config)
    if "noise.0" in inputs:  # DDPM draws its variance noise inside step: hand it noise.i instead
        noises = iter(inputs[f"noise.{i}"] for i in range(calls))
        scheduling_ddpm.randn_tensor = lambda *args, **kwargs: next(noises)
    scheduler.set_timesteps(steps)
    timesteps = scheduler.timesteps
    if strength is not None:
        t_start = steps - min(int(steps * strength), steps)
        timesteps = timesteps[t_start * scheduler.order:]
        if hasattr(scheduler, "set_begin_index"):
            scheduler.set_begin_index(t_start * scheduler.order)
    ref = {"timesteps": timesteps, "init_noise_sigma": torch.as_tensor(scheduler.init_noise_sigma)}
    if hasattr(scheduler, "sigmas"):
        ref["sigmas"] = scheduler.sigmas
    sample = inputs["sample"]
    for i in range(calls):
        t = timesteps[first + i]
        ref[f"scaled_model_input.{i}"] = scheduler.scale_model_input(sample, t)
        out = scheduler.step(inputs[f"model_output.{i}"], t, sample)
        sample = ref[f"prev_sample.{i}"] = out.prev_sample
        if getattr(out, "pred_original_sample", None) is not None:
            ref[f"pred_original_sample.{i}"] = out.pred_original_sample
    return ref


def check(jar, config_file, steps, calls, first, strength, channels, out_channels, work, tolerance):
    config = json.loads(config_file.read_text())
    g = torch.Generator().manual_seed(0)
    inputs = {"sample": torch.randn(1, channels, 8, 8, generator=g)}
    for i in range(calls):
        inputs[f"model_output.{i}"] = torch.randn(1, out_channels, 8, 8, generator=g)
        if config["_class_name"] == "DDPMScheduler":
            inputs[f"noise.{i}"] = torch.randn(1, channels, 8, 8, generator=g)
    save_file(inputs, str(work / "in.safetensors"))
    ref = diffusers_trajectory(config, inputs, steps, calls, first, strength)
    args = ["java", "-jar", str(jar), "schedule", "--config", str(config_file), "--steps", str(steps),
            "--inputs", str(work / "in.safetensors"), "--out", str(work / "out.safetensors"), "--first", str(first)]
    if strength is not None:
        args += ["--strength", str(strength)]
    run = subprocess.run(args, capture_output=True, text=True)
    what = f"{config_file.name} steps={steps} calls={calls} first={first} strength={strength}"
    if run.returncode != 0:
        print(f"FAIL {what}: diffbench exited {run.returncode}: {run.stderr.strip().splitlines()[-1:]}")
        return False
    out = load_file(str(work / "out.safetensors"))
    problems = [f"names differ: only diffusers {sorted(set(ref) - set(out))}, only diffbench {sorted(set(out) - set(ref))}"] \
        if set(ref) != set(out) else []
    worst = 0.0
    for name in sorted(set(ref) & set(out)):
        a, b = out[name], ref[name]
        if a.shape != b.shape or (name == "timesteps" and a.dtype != b.dtype):
            problems.append(f"{name}: {a.dtype}{list(a.shape)} vs diffusers' {b.dtype}{list(b.shape)}")
            continue
        scale = max(1.0, b.double().abs().max().item())
        worst = max(worst, (a.double() - b.double()).abs().max().item() / scale)
    if worst > tolerance:
        problems.append(f"max relative difference {worst:.2e} > {tolerance:.0e}")
    print(("ok  " if not problems else "FAIL") + f" {what}: max relative difference {worst:.2e}"
          + "".join("; " + p for p in problems))
    return not problems


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--jar", default="pipelines/target/diffbench.jar")
    p.add_argument("--configs", type=Path, default=CONFIGS, help="folder of scheduler configs named as in CASES")
    p.add_argument("--tolerance", type=float, default=1e-4, help="relative to max(1, |diffusers' value|)")
    a = p.parse_args()
    print(f"diffusers {diffusers.__version__}, torch {torch.__version__}")
    ok = True
    with tempfile.TemporaryDirectory() as tmp:
        for name, (steps, runs, channels, out_channels) in CASES.items():
            for calls, first, strength in runs:
                ok &= check(a.jar, a.configs / name, steps, calls, first, strength, channels, out_channels, Path(tmp),
                            a.tolerance)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
