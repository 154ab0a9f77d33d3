"""Rows of diffbench's results CSV (docs/results-schema.md), merged into a file the way the Java
harness merges them: rows of the same cell key are replaced where the cell's first row was (of new
rows for one cell and stage, the last wins), other rows are kept (with any extra columns), new
cells are appended, and the file is replaced
atomically (a temp file in the same folder, then a rename), all under the lock the harness takes
(diffbench.schema.AtomicFile: fcntl on `.<name>.lock`), so runs on several GPUs of a box can share a file."""
import contextlib
import csv
import fcntl
import itertools
import os
from decimal import ROUND_HALF_UP, Context, Decimal
from pathlib import Path

SCHEMA_VERSION = 5

# diffbench.schema.ResultColumn, in file order (a Java test checks this list against the enum).
COLUMNS = [
    "schema_version", "gpu_slug", "gpu_name", "gpu_memory_mib", "driver", "cuda", "libtorch", "djl", "jni", "jvm",
    "host", "git_commit", "time", "runtime", "device", "pipeline", "stage", "batch", "mode", "attention", "dtype",
    "model_size", "steps", "resolution", "profile", "warmup_calls", "measurement_calls", "memory_cap_mib", "emulate",
    "outcome", "error_message", "its_mean", "its_min", "its_max", "its_stddev", "seconds_per_call_mean",
    "seconds_per_call_stddev", "outside_loop_seconds", "peak_memory_mib", "unet_calls_per_image", "denoiser_tflops",
    "load_seconds", "warmup_seconds", "warmup_peak_memory_mib", "output_check", "sm_clock_mhz", "gpu_power_w",
    "gpu_temperature_c", "clock_limits", "cudnn", "host_cpu", "compiler", "compiler_options", "compile_seconds",
    "compile_cache", "peak_reserved_mib", "images_per_second", "joules_per_image",
]

# ResultColumn.since(): the schema version that added a column; a file whose rows are all older may lack it
SINCE = {"denoiser_tflops": 2, "load_seconds": 2, "warmup_seconds": 2, "warmup_peak_memory_mib": 2, "output_check": 2,
         "sm_clock_mhz": 2, "gpu_power_w": 2, "gpu_temperature_c": 2, "clock_limits": 2, "cudnn": 3, "host_cpu": 3,
         "compiler": 4, "compiler_options": 4, "compile_seconds": 4, "compile_cache": 4,
         "peak_reserved_mib": 5, "images_per_second": 5, "joules_per_image": 5}

# ResultColumn.CELL_KEY
CELL_KEY = ["gpu_slug", "runtime", "libtorch", "jni", "device", "pipeline", "batch", "mode", "attention", "dtype",
            "model_size", "steps", "memory_cap_mib", "emulate", "compiler_options"]


def upgrade(row):
    """diffbench.schema.RowUpgrade: a row older than schema 4 gets today's mode and compiler columns (the
    JVM's `compiled` of those rows was TorchScript's profiling executor, now `ts-profiling`)."""
    if int(row.get("schema_version") or 1) >= 4 or row.get("compiler"):
        return row
    runtime, mode = row.get("runtime", ""), row.get("mode", "")
    row = dict(row)
    if runtime.startswith("python-compile-"):
        row["compiler"], row["compiler_options"] = "torch.compile", runtime[len("python-compile-"):]
    elif runtime.startswith("python-") or mode == "eager":
        row["compiler"] = "none"
    elif mode in ("compiled", "cuda-graph"):
        row["compiler"] = "torchscript-profiling"
        if mode == "compiled":
            row["mode"] = "ts-profiling"
    return row


def images_per_second(batch, seconds_per_call):
    """diffbench.schema.ImageThroughput: the batch over the seconds per call; None unless both are positive."""
    return batch / seconds_per_call if batch > 0 and seconds_per_call > 0 else None


def joules_per_image(watts, seconds_per_call, batch):
    """diffbench.schema.ImageThroughput: mean board power x seconds per call over the batch; None without power."""
    return watts * seconds_per_call / batch if watts is not None and batch > 0 and seconds_per_call > 0 else None


_SIX_DIGITS = Context(prec=6, rounding=ROUND_HALF_UP)


class ResultsFileError(Exception):
    """The target is not a diffbench results CSV this runner can merge into; it was left untouched."""


def number(v):
    """Six significant digits, no exponent, as the harness writes them (CellRows.number: the double's
    exact value rounded half up): 0.0123457, 41.2346, 1234.57."""
    if v is None or v != v or v in (float("inf"), float("-inf")):
        return ""
    d = _SIX_DIGITS.plus(Decimal(v))
    if d == 0:
        return "0"
    text = format(d, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def _key(row):
    return tuple(row.get(c, "") for c in CELL_KEY)


@contextlib.contextmanager
def _locked(path):
    """Holds `.<name>.lock` beside `path`; lockf is fcntl's record lock, the one Java's FileChannel.lock takes."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path.parent / f".{path.name}.lock", "a") as lock:
        fcntl.lockf(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.lockf(lock, fcntl.LOCK_UN)


def merge(path, new_rows):
    """Merges the rows of one or more cells into `path` (created with the schema's header if absent)."""
    path = Path(path)
    with _locked(path):
        _merge_locked(path, new_rows)


def _merge_locked(path, new_rows):
    header = list(COLUMNS)
    rows = []
    if path.exists():
        with path.open(newline="", encoding="utf-8") as f:
            reader = csv.reader(f)
            try:
                found = next(reader)
            except StopIteration:
                found = None
            if found is not None:
                header = COLUMNS + [c for c in found if c not in COLUMNS]
                newest = 1
                for line, values in enumerate(reader, start=2):
                    if not values:
                        continue
                    row = dict(zip(found, values))
                    version = row.get("schema_version", "")
                    if version and int(version) > SCHEMA_VERSION:
                        raise ResultsFileError(f"{path}:{line}: schema_version {version} is newer than this runner "
                                               f"writes ({SCHEMA_VERSION}): left untouched")
                    newest = max(newest, int(version or 1))
                    rows.append(upgrade(row))
                missing = [c for c in COLUMNS if c not in found and SINCE.get(c, 1) <= newest]
                if missing:
                    raise ResultsFileError(f"{path}:1: missing column {missing[0]} (not a diffbench results CSV, "
                                           "or written by an older diffbench): left untouched")
    by_key = {}  # cell -> stage -> row: the last row given for a cell and stage wins, where that stage came first
    for row in new_rows:
        by_key.setdefault(_key(row), {})[row.get("stage", "")] = row
    merged = []
    placed = set()
    for row in rows:
        k = _key(row)
        if k in by_key:
            if k not in placed:
                merged.extend(by_key[k].values())
                placed.add(k)
        else:
            merged.append(row)
    for k, group in by_key.items():
        if k not in placed:
            merged.extend(group.values())
    for n in itertools.count():
        tmp = path.parent / f".{path.name}.{n}.tmp"
        try:
            f = tmp.open("x", newline="", encoding="utf-8")
            break
        except FileExistsError:
            continue
    try:
        with f:
            w = csv.writer(f, lineterminator="\n")
            w.writerow(header)
            for row in merged:
                w.writerow([row.get(c, "") for c in header])
            f.flush()
            os.fsync(f.fileno())  # the rename must not publish a file whose bytes are still in flight
        if path.exists():
            os.chmod(tmp, path.stat().st_mode & 0o7777)  # the rename hands the temp's permissions on
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
