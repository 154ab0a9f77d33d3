package diffbench.schedulers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Pseudo linear multistep (PLMS, diffusers' PNDMScheduler with skip_prk_steps): Stable Diffusion
 * 1.5's default. Step k combines the last model outputs e (newest first) as
 * e, (e + e_prev) / 2 on the warm-up redo, (3e1 - e2) / 2, (23e1 - 16e2 + 5e3) / 12, then
 * (55e1 - 59e2 + 37e3 - 9e4) / 24, and moves the sample from t to t - T / N with
 * x' = sqrt(a'/a) x - (a' - a) e' / (a sqrt(1 - a') + sqrt(a (1 - a) a')), a = alpha-bar.
 * Holds the last four model outputs (copies, in its own manager) between calls.
 */
public final class PndmScheduler extends AlphaBarScheduler {
    private static final int HISTORY = 4;
    private final PndmConfig config;
    private final StepCounting counting;
    private final Deque<NDArray> history = new ArrayDeque<>(HISTORY); // newest first
    private NDManager state;
    private NDArray warmUpSample;
    private int counter;

    public PndmScheduler(PndmConfig config, StepCounting counting) {
        super(config, config.setAlphaToOne());
        this.config = config;
        this.counting = counting;
    }

    public StepCounting counting() {
        return counting;
    }

    @Override
    public void setTimesteps(int n) {
        super.setTimesteps(n);
        if (counting == StepCounting.BENCHMARK && n > 1) {
            // diffusers: reverse(base[:-1] ++ base[-2] ++ base[-1]) of the ascending base: d0, d1, d1, d2, ...
            double[] d = timesteps;
            timesteps = new double[n + 1];
            timesteps[0] = d[0];
            System.arraycopy(d, 1, timesteps, 2, n - 1);
            timesteps[1] = d[1];
        }
        resetState();
    }

    @Override
    public NDArray step(NDArray modelOutput, double timestep, NDArray sample) {
        int ratio = stepRatio();
        int t = Timesteps.integral(timestep);
        int prevT = t - ratio;
        boolean redo = counting == StepCounting.BENCHMARK && counter == 1;
        if (redo) {
            // the warm-up redo: same transition as the first call, from the remembered sample
            prevT = t;
            t = t + ratio;
        } else {
            remember(modelOutput);
        }
        NDArray result;
        try (Scratch s = host.scratch()) {
            NDArray x = sample;
            NDArray e;
            if (redo) {
                e = s.add(modelOutput, history.getFirst()).divi(s.scalar(2));
                x = warmUpSample;
            } else {
                NDArray[] h = history.toArray(new NDArray[0]);
                e = switch (h.length) {
                    case 1 -> h[0];
                    case 2 -> s.mul(h[0], 3).subi(h[1]).divi(s.scalar(2));
                    case 3 -> s.mul(h[0], 23).subi(s.mul(h[1], 16)).addi(s.mul(h[2], 5)).divi(s.scalar(12));
                    default -> s.mul(h[0], 55).subi(s.mul(h[1], 59)).addi(s.mul(h[2], 37)).subi(s.mul(h[3], 9))
                            .muli(s.scalar(1.0 / 24));
                };
                if (counting == StepCounting.BENCHMARK && counter == 0) {
                    warmUpSample = keep(sample);
                }
            }
            result = Scratch.handOver(previousSample(s, x, t, prevT, e), sample);
        }
        if (redo) {
            warmUpSample.close();
            warmUpSample = null;
        }
        counter++;
        return result;
    }

    private NDArray previousSample(Scratch s, NDArray x, int t, int prevT, NDArray e) {
        double a = schedule.alphaCumprod(t);
        double aPrev = prevAlphaCumprod(prevT);
        double b = 1 - a;
        double bPrev = 1 - aPrev;
        if (config.predictionType() == PredictionType.V_PREDICTION) {
            e = s.mul(e, Math.sqrt(a)).addi(s.mul(x, Math.sqrt(b)));
        } else if (config.predictionType() != PredictionType.EPSILON) {
            throw new IllegalArgumentException("PNDMScheduler supports prediction_type epsilon or v_prediction, not "
                    + config.predictionType().key());
        }
        double sampleCoeff = Math.sqrt(aPrev / a);
        double denominator = a * Math.sqrt(bPrev) + Math.sqrt(a * b * aPrev);
        NDArray prev = s.mul(x, sampleCoeff).subi(s.mul(e, aPrev - a).divi(s.scalar(denominator)));
        return s.release(prev);
    }

    private void remember(NDArray modelOutput) {
        if (history.size() == HISTORY) {
            history.removeLast().close();
        }
        history.addFirst(keep(modelOutput));
    }

    /** A copy in the scheduler's own manager, so the caller may close its array. */
    private NDArray keep(NDArray a) {
        if (state == null) {
            state = a.getManager().getEngine().newBaseManager(a.getDevice());
        }
        NDArray copy = a.duplicate();
        copy.attach(state);
        return copy;
    }

    private void resetState() {
        history.forEach(NDArray::close);
        history.clear();
        if (warmUpSample != null) {
            warmUpSample.close();
            warmUpSample = null;
        }
        counter = 0;
    }

    /** Arrays the scheduler holds now (for leak checks): at most 4 outputs + the warm-up sample. */
    public int heldArrays() {
        return history.size() + (warmUpSample == null ? 0 : 1);
    }

    @Override
    public void close() {
        resetState();
        if (state != null) {
            state.close();
            state = null;
        }
        super.close();
    }
}
