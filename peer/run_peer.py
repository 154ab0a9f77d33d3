#!/usr/bin/env python3
"""diffbench's PyTorch peer: the sd-txt2img and sdxl-txt2img pipeline calls of the Java harness,
run on the networks' Python twins with the archives' weights, timed the same way (denoising loop
from its first UNet call to its last step, GPU-synchronised at both ends; the whole call likewise),
in PyTorch eager and with the UNet under torch.compile, written as rows of the results CSV.

  python3 peer/run_peer.py --networks DIR --pipeline sd-txt2img --batches 1,16 --steps 50 \\
      --dtype fp16 --attention sdpa --results results/h200.csv [--runtimes ...] [--tiny]

DIR holds `<id>.pt` and `<id>.py` for every network of the pipeline (`diffbench export-peer`).
Needs Python >= 3.10 and torch; nothing else."""
import argparse
import datetime
import os
import platform
import socket
import statistics
import subprocess
import sys
import time
import traceback
from pathlib import Path
from typing import NamedTuple, Optional

import torch

sys.path.insert(0, str(Path(__file__).resolve().parent))
import gpu_state  # noqa: E402
import parent_watch  # noqa: E402
import networks  # noqa: E402
import results_csv  # noqa: E402
from ports import EOS, OUTPUT_CHECKS, PROMPT, gpu_slug, output_check, synthetic_ids  # noqa: E402
from schedulers import Euler, Pndm  # noqa: E402

RUNTIMES = {
    "python-eager": None,
    "python-compile-reduce-overhead": "reduce-overhead",
    "python-compile-max-autotune-no-cudagraphs": "max-autotune-no-cudagraphs",
}
DTYPES = {"fp16": torch.float16, "bf16": torch.bfloat16, "fp32": torch.float32}


class Clock:
    """Call and loop timing with the device synchronised at each mark."""

    def __init__(self, device):
        self.device = device

    def now(self):
        if self.device.type == "cuda":
            torch.cuda.synchronize(self.device)
        return time.perf_counter()


def guided(noise, scale):
    uncond, cond = noise.float().chunk(2)
    return (cond - uncond) * scale + uncond


def denoise(unet, scheduler, latents, unet_inputs, scale, device, clock):
    """The loop; returns (latents, loop seconds)."""
    # the timesteps on the device in one copy, as diffusers keeps them (a copy per step would block the host)
    on_device = torch.tensor([int(t) for t in scheduler.timesteps], dtype=torch.int64, device=device)
    start = clock.now()
    x = latents
    for i, t in enumerate(scheduler.timesteps):
        timestep = on_device[i]
        doubled = torch.cat([x, x])
        noise = unet(scheduler.scale_model_input(doubled, t), timestep, *unet_inputs)
        x = scheduler.step(guided(noise, scale), t, x)
    return x, clock.now() - start


class Pipeline:
    """What the pipelines share: their networks (archive + twin from the export folder) as attributes
    named by role, and the output's size."""

    network_ids = {}
    full_pixels = 512

    def __init__(self, folder, device, tiny, steps):
        self.device, self.steps = device, steps
        self.pixels = self.size(tiny)
        for role, network_id in self.network_ids.items():
            setattr(self, role, networks.load(folder, network_id, device))

    @classmethod
    def size(cls, tiny):
        """The output's width and height in pixels (tiny configs: 64, 8x8 latents)."""
        return 64 if tiny else cls.full_pixels


class SdTxt2Img(Pipeline):
    """SD 1.5: CLIP-L on ["", prompt], 64x64 latents (tiny: 8x8), PNDM, guidance 7.5, VAE decode of latents / 0.18215."""

    network_ids = {"text_encoder": "clip-l-text-encoder", "unet": "sd15-unet", "vae": "sd15-vae"}
    guidance = 7.5

    def __init__(self, folder, device, tiny, steps):
        super().__init__(folder, device, tiny, steps)
        self.ids = torch.tensor([synthetic_ids("", EOS), synthetic_ids(PROMPT, EOS)], dtype=torch.int64, device=device)

    def call(self, batch, unet, clock):
        start = clock.now()
        states = self.text_encoder(self.ids)[0].float()
        text = torch.cat([states[0:1].repeat(batch, 1, 1), states[1:2].repeat(batch, 1, 1)])
        scheduler = Pndm(self.steps)
        size = self.pixels // 8
        latents = torch.randn(batch, 4, size, size, device=self.device) * scheduler.init_noise_sigma
        latents, loop = denoise(unet, scheduler, latents, (text,), self.guidance, self.device, clock)
        images = self.vae(latents / 0.18215).float().clamp(-1, 1)
        return clock.now() - start, loop, scheduler, images


class SdxlTxt2Img(Pipeline):
    """SDXL: CLIP-L and bigG penultimate states side by side, bigG's pooled projection, zeros for the
    empty negative prompt, time_ids [H, W, 0, 0, H, W], 128x128 latents (tiny: 8x8), Euler, guidance 5.0,
    the VAE in fp32 decoding latents / 0.13025."""

    network_ids = {"text_encoder": "clip-l-text-encoder", "text_encoder_2": "sdxl-text-encoder-2",
                   "unet": "sdxl-unet", "vae": "sdxl-vae"}
    guidance = 5.0
    full_pixels = 1024

    def __init__(self, folder, device, tiny, steps):
        super().__init__(folder, device, tiny, steps)
        self.ids = torch.tensor([synthetic_ids(PROMPT, EOS)], dtype=torch.int64, device=device)
        self.ids_2 = torch.tensor([synthetic_ids(PROMPT, 0)], dtype=torch.int64, device=device)

    def call(self, batch, unet, clock):
        start = clock.now()
        clip_l = self.text_encoder(self.ids)
        big_g = self.text_encoder_2(self.ids_2)
        # outputs: (last, pooled, hidden_states[0..n]); [-2] is hidden_states[-2], the penultimate layer
        states = torch.cat([clip_l[-2].float(), big_g[-2].float()], -1)
        pooled = big_g[1].float()
        text = torch.cat([torch.zeros_like(states).repeat(batch, 1, 1), states.repeat(batch, 1, 1)])
        text_embeds = torch.cat([torch.zeros_like(pooled).repeat(batch, 1), pooled.repeat(batch, 1)])
        px = float(self.pixels)
        time_ids = torch.tensor([[px, px, 0, 0, px, px]], device=self.device).repeat(2 * batch, 1)
        scheduler = Euler(self.steps)
        size = self.pixels // 8
        latents = torch.randn(batch, 4, size, size, device=self.device) * scheduler.init_noise_sigma
        latents, loop = denoise(unet, scheduler, latents, (text, text_embeds, time_ids), self.guidance,
                                self.device, clock)
        images = self.vae(latents / 0.13025).float().clamp(-1, 1)
        return clock.now() - start, loop, scheduler, images


PIPELINES = {"sd-txt2img": SdTxt2Img, "sdxl-txt2img": SdxlTxt2Img}


def is_oom(e):
    return isinstance(e, torch.OutOfMemoryError) or "out of memory" in str(e).lower()


class CallFigures(NamedTuple):
    """One measured call: whole call and loop seconds, progress-bar steps, UNet calls, peak MiB allocated
    (CUDA only), the check of its output images, peak MiB the caching allocator reserved (CUDA only)."""
    seconds: float
    loop: float
    iterations: int
    unet_calls: int
    peak_mib: Optional[float]
    check: str
    reserved_mib: Optional[float] = None

    def denoiser_tflops(self, batch, flops_per_row):
        """The UNet's FLOP rate in the loop: each call runs 2 x batch rows (guidance)."""
        return self.unet_calls * 2 * batch * flops_per_row / self.loop / 1e12


class Measured(NamedTuple):
    """A cell's calls: how it ended, the error's first line, the warm-up calls' seconds and peak MiB
    (None when they did not finish, or off CUDA; torch.compile compiles in the first), and each
    measured call."""
    outcome: str
    message: str
    warmup_seconds: Optional[float]
    warmup_peak_mib: Optional[float]
    calls: list
    window: Optional[tuple] = None  # epoch ms of the measured calls' start and end, for the GPU's samples


def measure(pipeline, batch, unet, device, warmups, measurements):
    """Runs the warm-up calls, then the measured ones."""
    clock = Clock(device)
    calls = []
    phase = "warmup"
    n = 0
    warmup_seconds = warmup_peak = None
    try:
        if device.type == "cuda":
            torch.cuda.reset_peak_memory_stats(device)
        start = clock.now()
        for n in range(1, warmups + 1):
            pipeline.call(batch, unet, clock)
        warmup_seconds = clock.now() - start
        if device.type == "cuda" and warmups > 0:
            warmup_peak = torch.cuda.max_memory_allocated(device) / 2 ** 20
        phase = "iteration"
        measured_from = time.time() * 1000
        for n in range(1, measurements + 1):
            if device.type == "cuda":
                torch.cuda.reset_peak_memory_stats(device)
            seconds, loop, scheduler, images = pipeline.call(batch, unet, clock)
            peak = torch.cuda.max_memory_allocated(device) / 2 ** 20 if device.type == "cuda" else None
            reserved = torch.cuda.max_memory_reserved(device) / 2 ** 20 if device.type == "cuda" else None
            # it/s counts progress-bar steps; the UNet runs once per timestep (PNDM: N + 1 for N steps)
            calls.append(CallFigures(seconds, loop, scheduler.progress_bar_steps, len(scheduler.timesteps), peak,
                                     output_check(images), reserved))
        return Measured("ok", "", warmup_seconds, warmup_peak, calls, (measured_from, time.time() * 1000))
    except Exception as e:  # the row records it; the next cell still runs
        if is_oom(e):
            outcome = "oom-in-warmup-%d" % n if phase == "warmup" else "oom-at-iteration-%d" % n
            return Measured(outcome, first_line(e), warmup_seconds, warmup_peak, calls)
        traceback.print_exc()
        return Measured("error", first_line(e), warmup_seconds, warmup_peak, calls)


def first_line(e):
    text = str(e).strip().splitlines()
    return (type(e).__name__ + ": " + (text[0] if text else "")).strip()


def figures(calls, batch, flops_per_row):
    its = [c.iterations / c.loop for c in calls]
    seconds = [c.seconds for c in calls]
    peaks = [c.peak_mib for c in calls if c.peak_mib is not None]
    reserved = [c.reserved_mib for c in calls if c.reserved_mib is not None]
    sd = (lambda v: statistics.stdev(v) if len(v) > 1 else 0.0)
    return {
        "its_mean": results_csv.number(statistics.mean(its)),
        "its_min": results_csv.number(min(its)),
        "its_max": results_csv.number(max(its)),
        "its_stddev": results_csv.number(sd(its)),
        "seconds_per_call_mean": results_csv.number(statistics.mean(seconds)),
        "seconds_per_call_stddev": results_csv.number(sd(seconds)),
        "outside_loop_seconds": results_csv.number(statistics.mean(c.seconds - c.loop for c in calls)),
        "peak_memory_mib": results_csv.number(max(peaks)) if peaks else "",
        "peak_reserved_mib": results_csv.number(max(reserved)) if reserved else "",
        "images_per_second": results_csv.number(results_csv.images_per_second(batch, statistics.mean(seconds))),
        "unet_calls_per_image": str(max(c.unet_calls for c in calls)),
        "denoiser_tflops": results_csv.number(statistics.mean(c.denoiser_tflops(batch, flops_per_row) for c in calls))
        if flops_per_row > 0 else "",
        "output_check": min((c.check for c in calls), key=OUTPUT_CHECKS.index),
    }


def cudnn_version(device):
    """torch.backends.cudnn.version() 91002 as "9.10.2" (8902 = 8.9.2 before cuDNN 9), as the JVM side writes it."""
    v = torch.backends.cudnn.version() if device.type == "cuda" and torch.backends.cudnn.is_available() else None
    if not v:
        return ""
    major, minor = (v // 10000, v // 100 % 100) if v >= 90000 else (v // 1000, v // 100 % 10)
    return f"{major}.{minor}.{v % 100}"


def host_cpu():
    """"<model> (<n> CPUs)" as the harness writes it: /proc/cpuinfo's model, the CPUs this process may use."""
    model = ""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            model = next((line.split(":", 1)[1].strip() for line in f if line.startswith("model name")), "")
    except OSError:
        pass
    if not model:  # Arm hosts (Grace) name their cores only in lscpu
        try:
            out = subprocess.run(["lscpu"], capture_output=True, text=True, timeout=10).stdout
            model = next((line.split(":", 1)[1].strip() for line in out.splitlines()
                          if line.split(":", 1)[0].strip() == "Model name"), "")
        except (OSError, subprocess.SubprocessError):
            pass
    n = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return (model + " " if model else "") + f"({n} CPU{'' if n == 1 else 's'})"


def base_row(a, runtime, batch, device, pixels):
    props = torch.cuda.get_device_properties(device) if device.type == "cuda" else None
    return {
        "schema_version": str(results_csv.SCHEMA_VERSION),
        "gpu_slug": a.gpu_slug or ("cpu" if props is None else gpu_slug(props.name)),
        "gpu_name": a.gpu_name or (props.name if props else ""),
        "gpu_memory_mib": a.gpu_memory_mib or (str(props.total_memory // 2 ** 20) if props else ""),
        "driver": a.driver,
        "cuda": torch.version.cuda or "",
        "cudnn": cudnn_version(device),
        "libtorch": torch.__version__.split("+")[0],
        "djl": "",
        "jni": "",
        "jvm": "Python " + platform.python_version(),
        "host": a.host or socket.gethostname(),
        "host_cpu": a.host_cpu or host_cpu(),
        "git_commit": a.git_commit,
        "time": datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "runtime": runtime,
        "device": "gpu" if device.type == "cuda" else "cpu",
        "pipeline": a.pipeline,
        "stage": "",
        "batch": str(batch),
        "mode": "eager" if RUNTIMES[runtime] is None else "compiled",
        # torch.compile's time is inside warmup_seconds (the first warm-up call compiles); no package cache
        "compiler": "none" if RUNTIMES[runtime] is None else "torch.compile",
        "compiler_options": RUNTIMES[runtime] or "",
        "attention": a.attention,
        "dtype": a.dtype,
        "model_size": "tiny" if a.tiny else "full",
        "steps": str(a.steps),
        "resolution": f"{pixels}x{pixels}",
        "profile": a.profile,
        "warmup_calls": str(a.warmups),
        "measurement_calls": str(a.measurements),
        "memory_cap_mib": a.memory_cap_mib or "",
        "emulate": a.emulate,
        "outcome": "ok",
        "error_message": "",
    }


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--networks", required=True, type=Path, help="folder of <id>.pt archives and <id>.py twins")
    p.add_argument("--parent-pid", type=int, help="end when this process (the harness that started it) is gone")
    p.add_argument("--pipeline", required=True, choices=sorted(PIPELINES))
    p.add_argument("--batches", default="1", help="comma-separated batch sizes")
    p.add_argument("--steps", type=int, default=50)
    p.add_argument("--dtype", default="fp16", choices=sorted(DTYPES),
                   help="the archives' dtype (recorded; the archives carry it)")
    p.add_argument("--attention", default="sdpa", choices=["sdpa", "math"],
                   help="the twins' attention kernel (recorded; the twins carry it)")
    p.add_argument("--tiny", action="store_true", help="the networks are the tiny configs")
    p.add_argument("--runtimes", default=",".join(RUNTIMES), help="comma-separated, of: " + ", ".join(RUNTIMES))
    p.add_argument("--warmups", type=int, default=1)
    p.add_argument("--measurements", type=int, default=3)
    p.add_argument("--profile", default="custom")
    p.add_argument("--results", required=True, type=Path, help="results CSV to merge the rows into")
    p.add_argument("--device", default=None, help="cuda or cpu (default: cuda when available)")
    p.add_argument("--unet-flops-per-row", type=int, default=0,
                   help="FLOPs of one UNet row at this pipeline's size, as diffbench counts them (for denoiser_tflops)")
    p.add_argument("--memory-cap-mib", default="", help="cap this process's GPU memory (recorded in the row)")
    p.add_argument("--emulate", default="", help="the gpu-profile the cap emulates (recorded)")
    p.add_argument("--nvidia-smi-id", default="", help="the card to sample, as nvidia-smi -i names it "
                   "(default: the first of CUDA_VISIBLE_DEVICES, else 0)")
    for name in ("gpu-slug", "gpu-name", "gpu-memory-mib", "driver", "host", "host-cpu", "git-commit"):
        p.add_argument("--" + name, default="", help="recorded as is (default: from torch / this machine)")
    a = p.parse_args(argv)
    a.runtimes = [r for r in a.runtimes.split(",") if r]
    for r in a.runtimes:
        if r not in RUNTIMES:
            p.error(f"unknown runtime '{r}': use one of {', '.join(RUNTIMES)}")
    a.batches = [int(b) for b in a.batches.split(",") if b]
    if any(b < 1 for b in a.batches) or a.steps < 1 or a.measurements < 1 or a.warmups < 0:
        p.error("batches, steps and measurements must be positive, warmups 0 or more")
    return a


def main(argv=None):
    a = parse_args(argv)
    parent_watch.start(a.parent_pid)  # the harness may be killed: nothing else would stop this process
    device = torch.device(a.device or ("cuda" if torch.cuda.is_available() else "cpu"))
    if device.type == "cuda" and a.memory_cap_mib:
        total = torch.cuda.get_device_properties(device).total_memory
        torch.cuda.set_per_process_memory_fraction(min(1.0, int(a.memory_cap_mib) * 2 ** 20 / total), device)
    kind = PIPELINES[a.pipeline]
    # the GPU's clocks while each cell measures, sampled as the Java harness samples its own cells
    sampling = gpu_state.nvidia_smi_command(a.nvidia_smi_id) if device.type == "cuda" else None
    sampler = gpu_state.Sampler(sampling) if sampling else None
    torch.set_grad_enabled(False)
    failed = False
    with torch.inference_mode():
        clock = Clock(device)
        start = clock.now()
        try:
            pipeline = kind(a.networks, device, a.tiny, a.steps)
            load_error = None
        except Exception as e:
            pipeline, load_error = None, e
            traceback.print_exc()
        # the networks are loaded once for every runtime and batch: each row records that one load
        load_seconds = clock.now() - start if pipeline is not None else None
        pixels = kind.size(a.tiny)
        for runtime in a.runtimes:
            rows = []
            mode = RUNTIMES[runtime]
            for batch in a.batches:
                row = base_row(a, runtime, batch, device, pixels)
                if pipeline is None:
                    row["outcome"] = "oom-at-load" if is_oom(load_error) else "error"
                    row["error_message"] = first_line(load_error)
                else:
                    # stays if this process is stopped mid-cell (a time limit during a long compile)
                    results_csv.merge(a.results, [dict(row, outcome="timeout", load_seconds=results_csv.number(load_seconds),
                                                       error_message="the peer was stopped before this cell ended")])
                    unet = pipeline.unet
                    if mode is not None:
                        # each batch compiles afresh for its own static shapes, as a process per cell would
                        # (a second shape would otherwise make Dynamo recompile with a dynamic batch size)
                        torch._dynamo.reset()
                        unet = torch.compile(pipeline.unet, mode=mode, fullgraph=True, dynamic=False)
                    m = measure(pipeline, batch, unet, device, a.warmups, a.measurements)
                    row["outcome"], row["error_message"] = m.outcome, m.message
                    row["load_seconds"] = results_csv.number(load_seconds)
                    row["warmup_seconds"] = results_csv.number(m.warmup_seconds)
                    row["warmup_peak_memory_mib"] = results_csv.number(m.warmup_peak_mib)
                    if m.outcome == "ok":
                        row.update(figures(m.calls, batch, a.unet_flops_per_row))
                    if sampler is not None and m.window is not None:
                        row.update(sampler.summary(*m.window, results_csv.number))
                    if m.outcome == "ok" and row.get("gpu_power_w"):
                        # from the power as written, as the harness does (CellRows)
                        seconds = statistics.mean(c.seconds for c in m.calls)
                        row["joules_per_image"] = results_csv.number(
                            results_csv.joules_per_image(float(row["gpu_power_w"]), seconds, batch))
                failed |= row["outcome"] in ("error", "timeout")
                rows.append(row)
                print(f"diffbench-peer: {a.pipeline} batch {batch} {runtime} {a.dtype} {a.attention}: {row['outcome']}"
                      + (f", {row['its_mean']} it/s, {row['seconds_per_call_mean']} s per call" if row["outcome"] == "ok"
                         else f" ({row['error_message']})"), flush=True)
                results_csv.merge(a.results, [row])
                if device.type == "cuda":
                    torch.cuda.empty_cache()
    if sampler is not None:
        sampler.close()
    return 1 if failed else 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except results_csv.ResultsFileError as e:
        print("diffbench-peer: " + str(e), file=sys.stderr)
        sys.exit(3)
