"""Compiles one network call into an AOTInductor package for the JVM's compiled mode.

The network's Python twin (`<id>.py`, diffbench export-python) is filled from its TorchScript
archive (networks.py: load_archive + twin_from_archive), exported with torch.export at the cell's
static shapes and compiled with torch._inductor.aoti_compile_and_package, weights left out of the
package: the JVM hands the archive's tensors to the package at load (user-managed constants).

The JVM (diffbench.runtime.AotiCompiler) runs this file with the python3 whose torch its JNI is
built against, and reads one JSON line from stdout:
  {"ok": true, "torch": ..., "export_s": ..., "compile_s": ...}
  {"ok": false, "stage": "export"|"compile"|"load", "error": "<torch's first line>"}
Exit status 0 in both cases (a failed compile is an outcome); 2 for bad arguments.
"""
import argparse
import json
import sys
import time
import traceback
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

DTYPES = {"float32": "float32", "float16": "float16", "bfloat16": "bfloat16", "int64": "int64", "int32": "int32",
          "bool": "bool"}

# Inductor option sets (an axis recorded in every compiled row): weights always stay out of the package.
OPTION_SETS = {
    "default": {},
    "max-autotune": {"max_autotune": True},
}


def first_line(error):
    text = str(error).strip()
    line = text.splitlines()[0] if text else ""
    return f"{type(error).__name__}: {line}" if line else type(error).__name__


def example_inputs(torch, specs, device):
    """Inputs of the given shapes and dtypes: floats drawn from a seeded normal, integers 1 (timesteps)."""
    generator = torch.Generator().manual_seed(0)
    out = []
    for spec in specs:
        dtype = getattr(torch, DTYPES[spec["dtype"]])
        shape = spec["shape"]
        if dtype.is_floating_point:
            out.append(torch.randn(shape, generator=generator).to(device=device, dtype=dtype))
        else:
            out.append(torch.ones(shape, dtype=dtype, device=device))
    return tuple(out)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--archive", required=True, help="the network's TorchScript archive (<id>.pt)")
    parser.add_argument("--twin", required=True, help="its Python twin (<id>.py)")
    parser.add_argument("--method", default="forward", help="the archive method the package runs")
    parser.add_argument("--inputs", required=True, help='JSON list of {"shape": [...], "dtype": "float32"}')
    parser.add_argument("--device", default="cpu", help="cpu or cuda[:N]")
    parser.add_argument("--options", default="default", choices=sorted(OPTION_SETS))
    parser.add_argument("--synthetic", action="store_true", help="the archive draws its weights (init_weights)")
    parser.add_argument("--out", required=True, help="the .pt2 package to write")
    args = parser.parse_args()

    import torch
    import networks

    stage = "load"
    try:
        with torch.no_grad():
            scripted = networks.load_archive(args.archive, args.device, synthetic=args.synthetic)
            twin = networks.twin_from_archive(args.twin, scripted)
            del scripted
            if args.method != "forward":
                # the package's entry point is forward: the method replaces it on this instance
                twin.forward = getattr(twin, args.method)
            inputs = example_inputs(torch, json.loads(args.inputs), args.device)
            stage = "export"
            start = time.perf_counter()
            exported = torch.export.export(twin, inputs, strict=False)
            export_s = time.perf_counter() - start
            stage = "compile"
            options = {"aot_inductor.package_constants_in_so": False, **OPTION_SETS[args.options]}
            start = time.perf_counter()
            torch._inductor.aoti_compile_and_package(exported, package_path=args.out, inductor_configs=options)
            compile_s = time.perf_counter() - start
    except Exception as e:  # a failed export or compile is the cell's outcome, not a crash
        traceback.print_exc(file=sys.stderr)
        print(json.dumps({"ok": False, "stage": stage, "error": first_line(e)}), flush=True)
        return 0
    print(json.dumps({"ok": True, "torch": torch.__version__, "export_s": round(export_s, 3),
                      "compile_s": round(compile_s, 3)}), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
