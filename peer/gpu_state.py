"""The GPU's clocks while the peer measures, as diffbench.jmh.GpuSampler samples them for the JVM cells:
one `nvidia-smi -lms 250` process, its samples kept for the measured calls' window, summed up into
the results CSV's sm_clock_mhz, gpu_power_w, gpu_temperature_c and clock_limits. Needs no torch."""
import os
import subprocess
import threading
import time

# clocks_event_reasons bits (NVML) that limit a busy GPU; idle, application clocks, sync boost, display are not limits
LIMITS = {0x4: "sw-power-cap", 0x8: "hw-slowdown", 0x20: "sw-thermal", 0x40: "hw-thermal", 0x80: "hw-power-brake"}
FIELDS = ("clocks_event_reasons.active", "clocks_throttle_reasons.active")  # the second before driver 535


def command(gpu_id, reasons_field):
    return ["nvidia-smi", "-i", gpu_id, "--query-gpu=clocks.sm,power.draw,temperature.gpu," + reasons_field,
            "--format=csv,noheader,nounits", "-lms", "250"]


def nvidia_smi_command(gpu_id=None):
    """The looping query this driver takes (an unknown field fails the whole query); None without nvidia-smi.
    gpu_id: the card as nvidia-smi -i names it (the harness passes the one it resolved); by default the
    first of CUDA_VISIBLE_DEVICES, else 0 (right unless cards of several models are numbered differently)."""
    if not gpu_id:
        gpu_id = os.environ.get("CUDA_VISIBLE_DEVICES", "").split(",")[0].strip() or "0"
    for field in FIELDS:
        looping = command(gpu_id, field)
        try:
            once = subprocess.run(looping[:-2], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=30)
        except (OSError, subprocess.TimeoutExpired):
            return None
        if once.returncode == 0:
            return looping
    return None


def parse(at_ms, line):
    """`clocks.sm, power.draw, temperature.gpu, reasons` -> (ms, clock, watts, celsius, reasons bits), or None."""
    fields = [f.strip() for f in line.split(",")]
    if len(fields) < 4:
        return None

    def number(v):
        return float("nan") if v.startswith("[") else float(v)  # [N/A], [Not Supported]

    try:
        reasons = int(fields[3], 16) if fields[3].startswith("0x") else 0
        return at_ms, number(fields[0]), number(fields[1]), number(fields[2]), reasons
    except ValueError:
        return None


def summarize(samples, number):
    """The CSV cells: mean clock and power, highest temperature, the limits seen ({} without samples)."""
    if not samples:
        return {}
    limits = sorted({name for s in samples for bit, name in LIMITS.items() if s[4] & bit})
    return {
        "sm_clock_mhz": number(sum(s[1] for s in samples) / len(samples)),
        "gpu_power_w": number(sum(s[2] for s in samples) / len(samples)),
        "gpu_temperature_c": number(max(s[3] for s in samples)),
        "clock_limits": ",".join(limits),
    }


class Sampler:
    """Samples from its start until close(); summary() sums up a window of them."""

    def __init__(self, cmd):
        self.samples = []
        self.lock = threading.Lock()
        self.process = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for line in self.process.stdout:
            s = parse(time.time() * 1000, line)
            if s is not None:
                with self.lock:
                    self.samples.append(s)

    def summary(self, from_ms, to_ms, number):
        """The samples between two instants (epoch ms); the first one after from_ms when none fell inside."""
        with self.lock:
            inside = [s for s in self.samples if from_ms <= s[0] <= to_ms]
            if not inside:
                inside = [s for s in self.samples if s[0] >= from_ms][:1]
        return summarize(inside, number)

    def close(self):
        self.process.terminate()
