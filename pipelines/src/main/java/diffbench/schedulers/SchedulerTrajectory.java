package diffbench.schedulers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

import java.util.ArrayList;
import java.util.List;

/**
 * diffusers' scheduler protocol on given model outputs, every intermediate kept under the name
 * diffusers gives it, so a run can be held against diffusers' own scheduler step by step:
 * {@code set_timesteps(N)} (with a strength: the img2img truncation the pipelines make), then for
 * call i, {@code t = timesteps[first + i]}, {@code scaled_model_input = scale_model_input(sample, t)},
 * {@code sample = step(model_output.i, t, sample).prev_sample}. The scheduler is fresh for the run
 * (so {@code first} > 0 checks the last steps of a schedule from a scheduler that saw no others).
 */
public final class SchedulerTrajectory {
    private SchedulerTrajectory() {
    }

    /** A tensor's shape and values in fp32 (small: one sample). */
    public record Values(long[] shape, float[] values) {
        static Values of(NDArray a) {
            return new Values(a.getShape().getShape(), a.toType(DataType.FLOAT32, false).toFloatArray());
        }
    }

    /** One call: its timestep and what diffusers' scale_model_input and step return (pred_original_sample may be null). */
    public record Call(double timestep, Values scaledModelInput, Values prevSample, Values predOriginalSample) {
    }

    /**
     * @param timesteps the schedule the loop walks (after the strength truncation), as diffusers' {@code timesteps}
     * @param sigmas Euler's N + 1 sigmas, else null
     */
    public record Run(String schedulerClass, double[] timesteps, double initNoiseSigma, double[] sigmas, List<Call> calls) {
    }

    /**
     * Runs {@code modelOutputs.size()} calls of {@code scheduler} from {@code timesteps[first]} on.
     *
     * @param strength null for the whole schedule, else img2img's strength in (0, 1]
     * @param sample the starting sample (not closed); the arrays made on the way are closed before this returns
     */
    public static Run run(Scheduler scheduler, int steps, Double strength, int first, NDArray sample, List<NDArray> modelOutputs) {
        if (steps < 1) {
            throw new IllegalArgumentException("--steps must be at least 1, got " + steps);
        }
        scheduler.setTimesteps(steps);
        double[] timesteps = (strength == null ? DenoisingSchedule.full(scheduler)
                : DenoisingSchedule.forStrength(scheduler, strength)).timesteps();
        int calls = modelOutputs.size();
        if (first < 0 || first + calls > timesteps.length) {
            throw new IllegalArgumentException("--first " + first + " with " + calls + (calls == 1 ? " call" : " calls")
                    + " needs timesteps " + first + ".."
                    + (first + calls - 1) + ", but the schedule has " + timesteps.length + " (0.." + (timesteps.length - 1) + ")");
        }
        List<Call> out = new ArrayList<>(calls);
        NDArray x = sample;
        for (int i = 0; i < calls; i++) {
            double t = timesteps[first + i];
            NDArray scaled = scheduler.scaleModelInput(x, t);
            Values scaledValues = Values.of(scaled);
            if (scaled != x) {
                scaled.close();
            }
            StepOutput step = scheduler.stepWithPrediction(modelOutputs.get(i), t, x);
            Values predicted = null;
            if (step.predOriginalSample() != null) {
                predicted = Values.of(step.predOriginalSample());
                step.predOriginalSample().close();
            }
            out.add(new Call(t, scaledValues, Values.of(step.prevSample()), predicted));
            if (x != sample) {
                x.close();
            }
            x = step.prevSample();
        }
        if (x != sample) {
            x.close();
        }
        double[] sigmas = scheduler instanceof EulerDiscreteScheduler euler ? euler.sigmas() : null;
        return new Run(scheduler.className(), timesteps, scheduler.initNoiseSigma(), sigmas, out);
    }
}
