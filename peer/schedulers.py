"""The two schedulers of the peer's pipelines, from the formulas diffbench's Java schedulers use
(diffbench.schedulers.PndmScheduler, EulerDiscreteScheduler; diffusers' PNDMScheduler with
skip_prk_steps and EulerDiscreteScheduler as of v0.19), on fp32 latents. Both use the training
schedule of SD 1.5 / SDXL: scaled_linear betas 0.00085..0.012 over 1000 steps, timesteps with
"leading" spacing and steps_offset 1."""
import math

import torch

TRAIN_STEPS = 1000
STEPS_OFFSET = 1


def alphas_cumprod():
    """alpha-bar per training step as fp32 values (torch's float32 linspace, square and CPU cumprod)."""
    betas = torch.linspace(0.00085 ** 0.5, 0.012 ** 0.5, TRAIN_STEPS, dtype=torch.float32) ** 2
    return torch.cumprod(1.0 - betas, dim=0)


def leading_timesteps(n):
    """[981, 961, ..., 1] for 50 steps."""
    ratio = TRAIN_STEPS // n
    return [i * ratio + STEPS_OFFSET for i in reversed(range(n))]


class Pndm:
    """PLMS with the benchmark's step counting: N + 1 UNet calls, the second redoing the first
    transition with the mean of both model outputs; then multistep combinations of the last 1..4 outputs."""

    order = 1

    def __init__(self, steps):
        self.alpha_bar = alphas_cumprod().tolist()
        self.final_alpha_bar = self.alpha_bar[0]  # set_alpha_to_one: false
        self.steps = steps
        base = leading_timesteps(steps)
        self.timesteps = [base[0], base[1]] + base[1:] if steps > 1 else base
        self.progress_bar_steps = steps
        self.init_noise_sigma = 1.0
        self.history = []  # newest first
        self.counter = 0
        self.warm_up_sample = None

    def scale_model_input(self, x, t):
        return x

    def step(self, e, t, x):
        ratio = TRAIN_STEPS // self.steps
        t = int(t)
        prev_t = t - ratio
        redo = self.steps > 1 and self.counter == 1
        if redo:
            prev_t, t = t, t + ratio
            e = (e + self.history[0]) / 2
            x = self.warm_up_sample
            self.warm_up_sample = None
        else:
            self.history = [e] + self.history[:3]
            h = self.history
            if len(h) == 1:
                e = h[0]
            elif len(h) == 2:
                e = (3 * h[0] - h[1]) / 2
            elif len(h) == 3:
                e = (23 * h[0] - 16 * h[1] + 5 * h[2]) / 12
            else:
                e = (55 * h[0] - 59 * h[1] + 37 * h[2] - 9 * h[3]) * (1.0 / 24)
            if self.steps > 1 and self.counter == 0:
                self.warm_up_sample = x
        self.counter += 1
        a = self.alpha_bar[t]
        a_prev = self.alpha_bar[prev_t] if prev_t >= 0 else self.final_alpha_bar
        sample_coeff = math.sqrt(a_prev / a)
        denominator = a * math.sqrt(1 - a_prev) + math.sqrt(a * (1 - a) * a_prev)
        return x * sample_coeff - e * (a_prev - a) / denominator


class Euler:
    """Euler without churn: sigma(t) = sqrt((1 - a) / a) in fp32, a final 0 appended; the UNet sees
    x / sqrt(sigma^2 + 1); a step is x0 = x - sigma e, d = (x - x0) / sigma, x' = x + d (sigma' - sigma)."""

    order = 1

    def __init__(self, steps):
        a = alphas_cumprod()
        table = (((1 - a) / a) ** 0.5).tolist()
        self.timesteps = leading_timesteps(steps)
        self.sigmas = [table[t] for t in self.timesteps] + [0.0]
        self.progress_bar_steps = steps
        top = max(self.sigmas)
        self.init_noise_sigma = float(torch.tensor(math.sqrt(top * top + 1), dtype=torch.float32))
        self.index = {t: i for i, t in enumerate(self.timesteps)}

    def scale_model_input(self, x, t):
        sigma = self.sigmas[self.index[t]]
        return x / math.sqrt(sigma * sigma + 1)

    def step(self, e, t, x):
        i = self.index[t]
        sigma = self.sigmas[i]
        x0 = x - e * sigma
        derivative = (x - x0) / sigma
        return x + derivative * (self.sigmas[i + 1] - sigma)
