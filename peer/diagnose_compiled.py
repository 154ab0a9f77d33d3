#!/usr/bin/env python3
"""Where diffbench's `compiled` and `cuda-graph` modes stand against torch.compile, one UNet call at a
time: the archive diffbench runs (TorchScript, weights drawn as diffbench draws them), timed per call
on the same inputs under each engine setting the JVM can reach, next to torch.compile of its twin.

  java -jar pipelines/target/diffbench.jar export --model sd15-unet --out /tmp/d/sd15-unet.pt
  java -jar pipelines/target/diffbench.jar export-python --model sd15-unet --out /tmp/d/sd15-unet.py
  python3 peer/diagnose_compiled.py --archive /tmp/d/sd15-unet.pt --twin /tmp/d/sd15-unet.py --size 64 --batches 1,16

Variants (each: warm-up calls, then the mean of --calls timed calls, milliseconds per UNet call):
  ts-eager            TorchScript, optimisation off (diffbench eager)
  ts-cuda-graph       eager replayed from a CUDA graph
  ts-optimized        profiling executor on; also counts the fusion groups it built
  ts-optimized-cudnn  the same with cudnn.benchmark (diffbench compiled)
  ts-optimized-cudnn-cuda-graph  that, replayed from a CUDA graph (diffbench cuda-graph without its loop)
  ts-channels-last    eager, weights and sample in channels_last (a layout Inductor picks for convolutions)
  ts-channels-last-cuda-graph    channels_last with cudnn.benchmark, replayed from a CUDA graph
  ts-frozen           torch.jit.freeze + optimize_for_inference (weights as constants, folded and fused
                      convolutions), profiling executor and cudnn.benchmark on: what freezing would add to
                      diffbench compiled; ts-frozen-cuda-graph the same replayed from a CUDA graph
  twin-compile        torch.compile(twin, mode="reduce-overhead") (--no-compile skips it: about a minute per shape)
One line per variant and batch; the spread between the CUDA-graph variants and twin-compile is what
Inductor's kernels are worth, ts-cuda-graph against ts-eager what launch overhead costs.
--ops N adds, per batch, the N aten ops that take the most device time in ts-eager (CPU time on a CPU)
and what share of the call each is: where fused kernels would have to save."""
import argparse
import sys
import time
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parent))
import networks  # noqa: E402
from check_equivalence import unet_inputs  # noqa: E402


def fusion_groups():
    graph = torch.jit.last_executed_optimized_graph()
    kinds = {}
    for node in graph.nodes():
        kind = node.kind()
        if "Fusion" in kind or "TensorExpr" in kind:
            kinds[kind] = kinds.get(kind, 0) + 1
    return kinds


def top_ops(fn, device, n, calls=3):
    """The n aten ops with the most self time on the device over `calls` calls: (name, ms per call, share)."""
    fn()
    sync(device)
    activities = [torch.profiler.ProfilerActivity.CPU]
    if device.type == "cuda":
        activities.append(torch.profiler.ProfilerActivity.CUDA)
    with torch.profiler.profile(activities=activities) as prof:
        for _ in range(calls):
            fn()
        sync(device)

    def self_time(e):  # microseconds; the attribute is self_device_time_total from torch 2.4 on
        if device.type != "cuda":
            return e.self_cpu_time_total
        return getattr(e, "self_device_time_total", None) or getattr(e, "self_cuda_time_total", 0)

    events = [e for e in prof.key_averages() if e.key.startswith("aten::") and self_time(e) > 0]
    total = sum(self_time(e) for e in events) or 1
    events.sort(key=self_time, reverse=True)
    return [(e.key, self_time(e) / 1000.0 / calls, self_time(e) / total) for e in events[:n]]


def frozen(scripted):
    """The archive frozen for inference (a new module; the original stays as it is), or None with why."""
    try:
        return torch.jit.optimize_for_inference(torch.jit.freeze(scripted.eval())), None
    except Exception as e:  # noqa: BLE001 - a pass that cannot handle some op: report it, time the rest
        return None, f"{type(e).__name__}: {str(e).splitlines()[0] if str(e) else ''}"


def timed(fn, warmups, calls, device):
    """Milliseconds per call after the warm-ups, the device synchronised around the timed run."""
    for _ in range(warmups):
        fn()
    sync(device)
    start = time.perf_counter()
    for _ in range(calls):
        fn()
    sync(device)
    return (time.perf_counter() - start) * 1000.0 / calls


def sync(device):
    if device.type == "cuda":
        torch.cuda.synchronize(device)


def graphed(fn, device):
    """fn captured once into a CUDA graph (its inputs are the static tensors it closes over)."""
    stream = torch.cuda.Stream(device)
    stream.wait_stream(torch.cuda.current_stream(device))
    with torch.cuda.stream(stream):
        for _ in range(3):
            fn()
    torch.cuda.current_stream(device).wait_stream(stream)
    graph = torch.cuda.CUDAGraph()
    with torch.cuda.graph(graph):
        fn()
    return graph.replay


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--archive", required=True, type=Path)
    p.add_argument("--twin", required=True, type=Path)
    p.add_argument("--size", type=int, required=True, help="latent height and width (tiny: 8; sd15 64; sdxl 128)")
    p.add_argument("--batches", default="1,16", help="images per prompt; the UNet sees twice as many (guidance)")
    p.add_argument("--calls", type=int, default=20)
    p.add_argument("--warmups", type=int, default=5)
    p.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu")
    p.add_argument("--no-compile", action="store_true", help="skip torch.compile of the twin")
    p.add_argument("--ops", type=int, default=0, help="list the N aten ops taking the most device time in ts-eager")
    a = p.parse_args()
    device = torch.device(a.device)
    cuda = device.type == "cuda"
    print(f"torch {torch.__version__} on {torch.cuda.get_device_name(device) if cuda else 'cpu'}; {a.archive.name}")

    with torch.inference_mode():
        scripted = networks.load_archive(a.archive, device)
        twin = networks.twin_from_archive(a.twin, scripted)
        compiled_twin = None if a.no_compile else torch.compile(twin, mode="reduce-overhead", fullgraph=True)
        frozen_archive, not_frozen = None, None  # frozen once, after batch 1's other variants: freezing may be slow
        for batch in [int(b) for b in a.batches.split(",")]:
            args = list(unet_inputs(twin, 2 * batch, a.size, device).values())

            def report(name, ms, extra=""):
                print(f"batch {batch:>2} {name:<19} {ms:9.3f} ms/UNet call  {1000.0 / ms:8.2f} calls/s {extra}".rstrip(),
                      flush=True)

            torch.backends.cudnn.benchmark = False
            with torch.jit.optimized_execution(False):
                report("ts-eager", timed(lambda: scripted(*args), a.warmups, a.calls, device))
                if a.ops > 0:
                    for name, ms, share in top_ops(lambda: scripted(*args), device, a.ops):
                        print(f"batch {batch:>2}   {name:<40} {ms:9.3f} ms/call {100 * share:5.1f}%", flush=True)
                if cuda:
                    replay = graphed(lambda: scripted(*args), device)
                    report("ts-cuda-graph", timed(replay, a.warmups, a.calls, device))
            with torch.jit.optimized_execution(True):
                report("ts-optimized", timed(lambda: scripted(*args), a.warmups, a.calls, device),
                       f"fusion groups {fusion_groups() or 'none'}")
                if cuda:
                    torch.backends.cudnn.benchmark = True
                    report("ts-optimized-cudnn", timed(lambda: scripted(*args), a.warmups, a.calls, device))
                    replay = graphed(lambda: scripted(*args), device)
                    report("ts-optimized-cudnn-cuda-graph", timed(replay, a.warmups, a.calls, device))
                    torch.backends.cudnn.benchmark = False
            scripted.to(memory_format=torch.channels_last)
            nhwc = [args[0].contiguous(memory_format=torch.channels_last)] + args[1:]
            with torch.jit.optimized_execution(False):
                report("ts-channels-last", timed(lambda: scripted(*nhwc), a.warmups, a.calls, device))
                if cuda:
                    torch.backends.cudnn.benchmark = True
                    replay = graphed(lambda: scripted(*nhwc), device)
                    report("ts-channels-last-cuda-graph", timed(replay, a.warmups, a.calls, device))
                    torch.backends.cudnn.benchmark = False
            scripted.to(memory_format=torch.contiguous_format)
            if compiled_twin is not None:
                start = time.perf_counter()
                compiled_twin(*args)
                sync(device)
                report("twin-compile", timed(lambda: compiled_twin(*args), a.warmups, a.calls, device),
                       f"(first call {time.perf_counter() - start:.1f} s)")
            if frozen_archive is None and not_frozen is None:
                start = time.perf_counter()
                frozen_archive, not_frozen = frozen(scripted)
                print(f"ts-frozen: " + (f"cannot freeze ({not_frozen})" if not_frozen
                                        else f"frozen in {time.perf_counter() - start:.1f} s"), flush=True)
            if frozen_archive is not None:
                torch.backends.cudnn.benchmark = cuda
                with torch.jit.optimized_execution(True):
                    report("ts-frozen", timed(lambda: frozen_archive(*args), a.warmups, a.calls, device))
                    if cuda:
                        replay = graphed(lambda: frozen_archive(*args), device)
                        report("ts-frozen-cuda-graph", timed(replay, a.warmups, a.calls, device))
                torch.backends.cudnn.benchmark = False


if __name__ == "__main__":
    main()
