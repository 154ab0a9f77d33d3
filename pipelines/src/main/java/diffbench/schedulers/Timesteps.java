package diffbench.schedulers;

/** Small checks shared by the integer-timestep schedulers. */
final class Timesteps {
    private Timesteps() {
    }

    /** PNDM, DDIM and DDPM index their tables with integer timesteps. */
    static int integral(double t) {
        int i = (int) t;
        if (i != t) {
            throw new IllegalArgumentException("timestep " + t + " is not an integer: this scheduler uses integer timesteps");
        }
        return i;
    }

    static double[] reversed(double[] v) {
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = v[v.length - 1 - i];
        }
        return out;
    }

    static void requireSet(int numInferenceSteps, String scheduler) {
        if (numInferenceSteps == 0) {
            throw new IllegalStateException(scheduler + ": call setTimesteps(n) before stepping");
        }
    }
}
