package diffbench.schedulers;

/**
 * The training noise schedule every scheduler derives its coefficients from: betas and their
 * cumulative alpha product. diffusers stores both as fp32 tensors, so the tables here hold the
 * fp32 values (as doubles): betas rounded to float as torch's float32 {@code linspace} makes them,
 * alphas = 1 - beta in float, and the cumulative product accumulated in double and rounded to float
 * per element, as torch's CPU {@code cumprod} does for float32.
 */
public final class NoiseSchedule {
    private final double[] betas;
    private final double[] alphasCumprod;

    private NoiseSchedule(float[] betas) {
        this.betas = new double[betas.length];
        this.alphasCumprod = new double[betas.length];
        double product = 1.0;
        for (int i = 0; i < betas.length; i++) {
            this.betas[i] = betas[i];
            float alpha = 1f - betas[i];
            product *= alpha;
            this.alphasCumprod[i] = (float) product;
        }
    }

    /** Builds the table for {@code beta_schedule}; an unsupported name is an error naming the key. */
    public static NoiseSchedule of(BetaConfig c) {
        int n = c.numTrainTimesteps();
        if (c.trainedBetas() != null) {
            if (c.trainedBetas().length != n) {
                throw new IllegalArgumentException("trained_betas has " + c.trainedBetas().length
                        + " entries but num_train_timesteps is " + n);
            }
            float[] b = new float[n];
            for (int i = 0; i < n; i++) {
                b[i] = (float) c.trainedBetas()[i];
            }
            return new NoiseSchedule(b);
        }
        return new NoiseSchedule(switch (c.betaSchedule()) {
            case "linear" -> linspace((float) c.betaStart(), (float) c.betaEnd(), n);
            case "scaled_linear" -> squared(linspace((float) Math.sqrt(c.betaStart()), (float) Math.sqrt(c.betaEnd()), n));
            case "squaredcos_cap_v2" -> cosineBetas(n);
            default -> throw new IllegalArgumentException("unsupported beta_schedule \"" + c.betaSchedule()
                    + "\": use linear, scaled_linear or squaredcos_cap_v2");
        });
    }

    /**
     * torch.linspace in float32: first half counted up from start, second half down from end, each
     * value start + step i rounded once (a fused multiply-add, as torch 2.13's vectorised CPU kernel
     * computes it; the peer's alphas_cumprod equals this table value by value, PeerPortsTest).
     */
    static float[] linspace(float start, float end, int steps) {
        float[] out = new float[steps];
        if (steps == 1) {
            out[0] = start;
            return out;
        }
        float step = (end - start) / (steps - 1);
        int halfway = steps / 2;
        for (int i = 0; i < steps; i++) {
            out[i] = i < halfway ? Math.fma(step, i, start) : Math.fma(-step, steps - i - 1, end);
        }
        return out;
    }

    private static float[] squared(float[] v) {
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = v[i] * v[i];
        }
        return out;
    }

    /** Glide's cosine schedule: beta_i = min(1 - alphaBar((i+1)/n) / alphaBar(i/n), 0.999), in double. */
    private static float[] cosineBetas(int n) {
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            double t1 = (double) i / n;
            double t2 = (double) (i + 1) / n;
            out[i] = (float) Math.min(1 - cosineAlphaBar(t2) / cosineAlphaBar(t1), 0.999);
        }
        return out;
    }

    private static double cosineAlphaBar(double t) {
        double c = Math.cos((t + 0.008) / 1.008 * Math.PI / 2);
        return c * c;
    }

    public int size() {
        return betas.length;
    }

    public double beta(int t) {
        return betas[t];
    }

    /** alpha-bar at training timestep t (fp32 value). */
    public double alphaCumprod(int t) {
        return alphasCumprod[t];
    }
}
