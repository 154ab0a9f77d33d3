"""Loads a network the way diffbench does, into its Python twin: the TorchScript archive
(`<id>.pt`, written by `diffbench export` / `export-peer`) is loaded with torch.jit, its synthetic
weights drawn on the device by its init_weights after torch.manual_seed(seed) (what
diffbench.runtime.Network.load does through DJL), and its state_dict is moved by name into the
twin (`<id>.py`, written by `diffbench export-python`) built on the meta device."""
import importlib.util
from pathlib import Path

import torch

SEED = 0  # diffbench.pipeline.PipelineSession.SEED


def load_twin_module(path):
    path = Path(path)
    spec = importlib.util.spec_from_file_location("diffbench_twin_" + path.stem.replace("-", "_"), path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def load_archive(path, device, seed=SEED, synthetic=True):
    """The archive as torch.jit loads it, its weights drawn on `device` from `seed` when synthetic."""
    scripted = torch.jit.load(str(path), map_location=device)
    if synthetic:
        torch.manual_seed(seed)
        scripted.init_weights()
    return scripted.eval()


def twin_from_archive(twin_path, scripted):
    """The twin holding the scripted module's tensors (shared, not copied); strict: every name must match."""
    twin = load_twin_module(twin_path).build("meta")
    state = {k: v.detach() for k, v in scripted.state_dict().items()}
    twin.load_state_dict(state, strict=True, assign=True)
    return twin.eval()


def load(folder, network_id, device, seed=SEED, synthetic=True):
    """The twin of network `network_id` from `folder` (`<id>.pt` + `<id>.py`) on `device`."""
    folder = Path(folder)
    scripted = load_archive(folder / f"{network_id}.pt", device, seed, synthetic)
    twin = twin_from_archive(folder / f"{network_id}.py", scripted)
    del scripted
    return twin
