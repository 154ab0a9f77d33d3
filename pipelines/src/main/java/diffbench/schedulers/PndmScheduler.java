package diffbench.schedulers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import diffbench.models.ConfigReader;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Pseudo linear multistep (PLMS; diffusers' PNDMScheduler with skip_prk_steps): Stable Diffusion
 * 1.5's default. {@link #stepWithPrediction} is diffusers' {@code step_plms} and {@code _get_prev_sample} (Liu et
 * al. 2022, formula 9) under its names. Holds the last four model outputs ({@code ets}, copies in
 * its own manager) between calls.
 */
public final class PndmScheduler extends AlphaBarScheduler {

    /**
     * PNDMScheduler's {@code scheduler_config.json} (diffusers 0.19 keys and defaults). Only the PLMS
     * variant ({@code skip_prk_steps: true}, what Stable Diffusion ships) is implemented.
     *
     * @param setAlphaToOne alpha-bar used past the last step: 1, or alpha-bar(0) when false
     */
    public record Config(BetaConfig betas, boolean setAlphaToOne, PredictionType predictionType,
                         TimestepSpacing timestepSpacing, int stepsOffset) implements SchedulerConfig {

        static Config read(ConfigReader r) {
            BetaConfig betas = BetaConfig.read(r);
            r.require("skip_prk_steps", false, true);
            return new Config(betas, r.boolOr("set_alpha_to_one", false), PredictionType.read(r),
                    TimestepSpacing.read(r, TimestepSpacing.LEADING), r.intOr("steps_offset", 0));
        }

        @Override
        public String className() {
            return "PNDMScheduler";
        }
    }

    private static final int ORDER = 4;
    private final Config config;
    private final StepCounting counting;
    /** The last model outputs, newest first (diffusers' {@code ets}, oldest first: ets[-1] is first here). */
    private final Deque<NDArray> ets = new ArrayDeque<>(ORDER);
    private NDManager state;
    /** The sample of the first call, which the warm-up redo starts from again. */
    private NDArray curSample;
    private int counter;

    public PndmScheduler(Config config, StepCounting counting) {
        super(config, config.setAlphaToOne());
        if (config.predictionType() == PredictionType.SAMPLE) {
            throw new IllegalArgumentException("PNDMScheduler supports prediction_type epsilon or v_prediction, not sample");
        }
        this.config = config;
        this.counting = counting;
    }

    public StepCounting counting() {
        return counting;
    }

    @Override
    public void setTimesteps(int numInferenceSteps) {
        super.setTimesteps(numInferenceSteps);
        int n = numInferenceSteps;
        if (counting == StepCounting.BENCHMARK && n > 1) {
            // diffusers: reverse(base[:-1] ++ base[-2] ++ base[-1]) of the ascending base: d0, d1, d1, d2, ...
            double[] base = timesteps;
            timesteps = new double[n + 1];
            timesteps[0] = base[0];
            timesteps[1] = base[1];
            System.arraycopy(base, 1, timesteps, 2, n - 1);
        }
        resetState();
    }

    /** Returns no pred_original_sample: PLMS computes none. */
    @Override
    public StepOutput stepWithPrediction(NDArray modelOutput, double timestep, NDArray sample) {
        int t = SchedulerMath.integral(timestep);
        int prevTimestep = t - stepRatio();
        boolean warmUpRedo = counting == StepCounting.BENCHMARK && counter == 1;
        if (warmUpRedo) {
            // the second call redoes the first transition, from the first call's sample
            prevTimestep = t;
            t = t + stepRatio();
        } else {
            remember(modelOutput);
        }
        NDArray prevSample;
        try (Scratch s = host.scratch()) {
            NDArray[] e = ets.toArray(new NDArray[0]); // e[0] is diffusers' ets[-1]
            NDArray combined;
            NDArray from = sample;
            if (warmUpRedo) {
                combined = s.add(modelOutput, e[0]).divi(s.scalar(2));
                from = curSample;
            } else {
                combined = switch (e.length) {
                    case 1 -> e[0];
                    case 2 -> s.mul(e[0], 3).subi(e[1]).divi(s.scalar(2));
                    case 3 -> s.mul(e[0], 23).subi(s.mul(e[1], 16)).addi(s.mul(e[2], 5)).divi(s.scalar(12));
                    default -> s.mul(e[0], 55).subi(s.mul(e[1], 59)).addi(s.mul(e[2], 37)).subi(s.mul(e[3], 9))
                            .muli(s.scalar(1.0 / 24));
                };
                if (counting == StepCounting.BENCHMARK && counter == 0) {
                    curSample = keep(sample);
                }
            }
            prevSample = s.handOver(prevSample(s, from, t, prevTimestep, combined), sample);
        }
        if (warmUpRedo) {
            curSample.close();
            curSample = null;
        }
        counter++;
        return new StepOutput(prevSample, null);
    }

    /** diffusers' {@code _get_prev_sample}: x_{t - delta} from x_t and the combined model output. */
    private NDArray prevSample(Scratch s, NDArray sample, int timestep, int prevTimestep, NDArray modelOutput) {
        double alphaProdT = alphaProd(timestep);
        double alphaProdTPrev = alphaProd(prevTimestep);
        double betaProdT = 1 - alphaProdT;
        double betaProdTPrev = 1 - alphaProdTPrev;
        if (config.predictionType() == PredictionType.V_PREDICTION) {
            modelOutput = s.weightedSum(Math.sqrt(alphaProdT), modelOutput, Math.sqrt(betaProdT), sample);
        }
        double sampleCoeff = Math.sqrt(alphaProdTPrev / alphaProdT);
        double modelOutputDenomCoeff = alphaProdT * Math.sqrt(betaProdTPrev) + Math.sqrt(alphaProdT * betaProdT * alphaProdTPrev);
        return s.mul(sample, sampleCoeff).subi(s.div(s.mul(modelOutput, alphaProdTPrev - alphaProdT), modelOutputDenomCoeff));
    }

    private void remember(NDArray modelOutput) {
        if (ets.size() == ORDER) {
            ets.removeLast().close();
        }
        ets.addFirst(keep(modelOutput));
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
        ets.forEach(NDArray::close);
        ets.clear();
        if (curSample != null) {
            curSample.close();
            curSample = null;
        }
        counter = 0;
    }

    /** Arrays the scheduler holds now (for leak checks): at most 4 outputs + the warm-up sample. */
    public int heldArrays() {
        return ets.size() + (curSample == null ? 0 : 1);
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
